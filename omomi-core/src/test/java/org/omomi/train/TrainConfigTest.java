package org.omomi.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.omomi.io.Json;

/** config.json: the typed configuration round-trips, and the files earlier versions wrote still read. */
class TrainConfigTest {

    /** A config.json as omomi train wrote it before this version (no solver, patience, id options or epochs_auto). */
    static final String EARLIER = """
            {"format":"omomi.train/1","model":"resnet","hidden":[512,256],"activation":"relu","depth":14,"width":32,
             "augment":true,"data":"fashion-mnist","data_dir":null,"target":null,"test":null,"task":null,"loss":null,
             "epochs":20,"batch_size":128,"optimizer":"momentum","schedule":"cosine","lr":0.1,"momentum":null,
             "weight_decay":5.0E-4,"l1":0.0,"l2":0.0,"seed":1,"shuffle":true,"val_split":0.1,"test_split":0.2,
             "scale":"standard","categorical":[],"init_weights":null,"checkpoint_every":0,"log_every":0}""";

    /** Older still: before the schedule and the ResNet width existed. */
    static final String OLDEST = """
            {"format":"omomi.train/1","model":"mlp","hidden":[64],"activation":"tanh","depth":8,"augment":false,
             "data":"/data/t.csv","target":"y","epochs":3,"batch_size":32,"optimizer":"sgd","lr":0.5,"weight_decay":0.0,
             "l1":0.0,"l2":0.001,"seed":7,"shuffle":false,"val_split":0.0,"test_split":0.2,"scale":"none","categorical":["c"],
             "checkpoint_every":0,"log_every":0}""";

    @SuppressWarnings("unchecked")
    private static TrainConfig read(String json) {
        return TrainConfig.fromJson((Map<String, Object>) Json.parse(json));
    }

    @Test
    @SuppressWarnings("unchecked")
    void roundTripsThroughItsJson() {
        TrainConfig c = read(EARLIER);
        TrainConfig back = TrainConfig.fromJson((Map<String, Object>) Json.parse(Json.write(c.toJson())));
        assertEquals(c, back);
        Map<String, Object> earlier = (Map<String, Object>) Json.parse(EARLIER);
        Map<String, Object> now = (Map<String, Object>) Json.parse(Json.write(c.toJson()));
        earlier.forEach((k, v) -> assertEquals(v, now.get(k), "key " + k + " keeps its meaning and value"));
    }

    @Test
    void earlierFilesReadAsThoseVersionsRan() {
        TrainConfig e = read(EARLIER);
        assertEquals("cosine", e.optim().schedule());
        assertEquals("minibatch", e.optim().solver(), "earlier runs trained by mini-batches");
        assertEquals(0, e.loop().patience(), "and without early stopping");
        assertFalse(e.loop().autoEpochs());
        assertEquals(20, e.loop().epochs());
        TrainConfig o = read(OLDEST);
        assertEquals("none", o.optim().schedule(), "before schedules: a constant rate");
        assertEquals(32, o.model().width(), "before --width: the ResNet width then fixed");
        assertEquals(List.of("c"), o.data().categorical());
        assertEquals("one_hot", o.data().categoricalEncoding());
        assertFalse(o.loop().shuffle());
    }

    @Test
    void badValuesNameTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(EARLIER.replace("\"lr\":0.1", "\"lr\":-1")));
        assertEquals("--lr must be a positive number, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> read(EARLIER.replace("\"schedule\":\"cosine\"", "\"schedule\":\"step\"")));
        assertTrue(e.getMessage().startsWith("--schedule must be none, cosine or onecycle"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> read(EARLIER.replace("omomi.train/1", "omomi.train/9")));
        assertTrue(e.getMessage().contains("not an omomi.train/1 configuration"), e.getMessage());
    }
}
