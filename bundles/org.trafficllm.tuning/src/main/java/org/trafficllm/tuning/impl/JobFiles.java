package org.trafficllm.tuning.impl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import org.trafficllm.api.tuning.TuningException;

/** What both jobs do with their requests and checkpoint directories. */
final class JobFiles {
    private JobFiles() {
    }

    /** A deep copy through JSON: the job works on (and saves) its own copy of the request. */
    static <T> T copy(T request, Class<T> type) throws TuningException {
        try {
            return DatasetFile.JSON.treeToValue(DatasetFile.JSON.valueToTree(request), type);
        } catch (IOException e) {
            throw new TuningException("bad request: " + e.getMessage(), e);
        }
    }

    /** Refuses to start a run in a directory that holds another one. */
    static void requireNoJob(CheckpointStore store) throws TuningException {
        if (store.hasJob()) {
            throw new TuningException(store.dir + " holds the checkpoints of another run: resume it (--resume "
                    + store.dir + ") or choose another checkpoint directory");
        }
    }

    /** The request saved in the job file of a run of {@code kind}. */
    static <T> T request(CheckpointStore store, String kind, Class<T> type) throws TuningException {
        if (!store.hasJob()) {
            throw new TuningException(store.dir + ": no " + CheckpointStore.JOB
                    + " here; not a checkpoint directory of a run");
        }
        JsonNode job = store.readJob();
        if (!kind.equals(job.path("kind").asText())) {
            throw new TuningException(store.dir + ": holds a " + job.path("kind").asText() + " run, not " + kind);
        }
        try {
            return DatasetFile.JSON.treeToValue(job.get("request"), type);
        } catch (IOException e) {
            throw new TuningException(store.dir.resolve(CheckpointStore.JOB) + ": bad request: " + e.getMessage(), e);
        }
    }

    /** The result of a finished run, or null. */
    static <T> T finished(CheckpointStore store, Class<T> type) throws TuningException {
        Path result = store.dir.resolve(CheckpointStore.RESULT);
        if (!Files.isRegularFile(result)) {
            return null;
        }
        try {
            return DatasetFile.JSON.readValue(result.toFile(), type);
        } catch (IOException e) {
            throw new TuningException(result + ": cannot read: " + e.getMessage(), e);
        }
    }
}
