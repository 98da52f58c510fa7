package org.omomi.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * One Spark context for every test in the JVM (a JVM holds one): {@code local[2,2]} — two task
 * threads, and a failed task tried twice in all — on loopback only, the UI off, Java
 * serialization of task results (Kryo is tested on its own).
 */
final class LocalSpark {

    private static JavaSparkContext context;

    private LocalSpark() {}

    static synchronized JavaSparkContext context() {
        if (context == null) {
            SparkConf conf = new SparkConf()
                    .setMaster("local[2,2]")
                    .setAppName("omomi-spark-tests")
                    .set("spark.ui.enabled", "false")
                    .set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.sql.shuffle.partitions", "2")
                    .set("spark.broadcast.compress", "false");
            context = new JavaSparkContext(conf);
            context.setLogLevel("WARN");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> context.stop()));
        }
        return context;
    }
}
