package org.omomi.ctr;

import java.util.Set;

/**
 * Choices of the feature processing, made before the first pass.
 *
 * @param hashBuckets  > 0: hash every categorical field into this many shared ids; 0: a vocabulary per field
 * @param minCount     with vocabularies: values seen fewer times in training share the field's out-of-vocabulary id
 * @param criteoIntegers how Criteo's 13 integer fields are read: {@link ClickFeatures.Transform#LOG1P}
 *                     (numbers, the default) or {@link ClickFeatures.Transform#CRITEO_BUCKET} (categories)
 * @param categorical  CSV columns to treat as categorical whatever they hold
 * @param maxDistinct  with vocabularies: the most distinct values the first pass counts over all fields
 *                     before it stops and asks for hashing (memory stays bounded)
 */
public record FeatureOptions(int hashBuckets, int minCount, ClickFeatures.Transform criteoIntegers, Set<String> categorical,
                             int maxDistinct) {

    /** The hashing default for Criteo-sized logs: 2²⁰ buckets. */
    public static final int CRITEO_BUCKETS = 1 << 20;
    /** The vocabularies' default minimum count. */
    public static final int MIN_COUNT = 3;
    /** The default bound on distinct values counted for vocabularies. */
    public static final int MAX_DISTINCT = 2_000_000;

    public FeatureOptions {
        categorical = Set.copyOf(categorical);
        if (hashBuckets < 0 || minCount < 1 || maxDistinct < 1) {
            throw new IllegalArgumentException("hash buckets must be ≥ 0 and the minimum count ≥ 1, got " + hashBuckets + " and " + minCount);
        }
        if (criteoIntegers != ClickFeatures.Transform.LOG1P && criteoIntegers != ClickFeatures.Transform.CRITEO_BUCKET) {
            throw new IllegalArgumentException("Criteo's integers are read as log1p or criteo_bucket, not " + criteoIntegers);
        }
    }

    /**
     * The defaults for a format: CSV logs (thousands to millions of rows) get exact vocabularies
     * with minimum count {@value #MIN_COUNT}; Criteo-sized logs get 2²⁰ hash buckets, so the first
     * pass counts nothing per value and memory does not grow with the log. Criteo's integers
     * default to log1p numbers.
     */
    public static FeatureOptions defaults(LogFormat format) {
        return new FeatureOptions(format == LogFormat.CRITEO ? CRITEO_BUCKETS : 0, MIN_COUNT, ClickFeatures.Transform.LOG1P,
                Set.of(), MAX_DISTINCT);
    }

    public FeatureOptions withHashBuckets(int buckets) {
        return new FeatureOptions(buckets, minCount, criteoIntegers, categorical, maxDistinct);
    }

    public FeatureOptions withMinCount(int count) {
        return new FeatureOptions(hashBuckets, count, criteoIntegers, categorical, maxDistinct);
    }

    public FeatureOptions withCriteoIntegers(ClickFeatures.Transform t) {
        return new FeatureOptions(hashBuckets, minCount, t, categorical, maxDistinct);
    }

    public FeatureOptions withCategorical(Set<String> columns) {
        return new FeatureOptions(hashBuckets, minCount, criteoIntegers, columns, maxDistinct);
    }
}
