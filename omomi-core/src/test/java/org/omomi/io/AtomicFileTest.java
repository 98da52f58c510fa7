package org.omomi.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that fails or is caught midway leaves the previous file whole: a full disk (injected)
 * fails with one message naming the file, leaves no temporary file, and the old content stands; a
 * write paused with half its bytes in the temporary file is invisible to readers until it is
 * renamed; temporary files left by a killed process are cleared.
 */
class AtomicFileTest {

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty(WriteFaults.FULL);
        System.clearProperty(WriteFaults.PAUSE);
    }

    private List<Path> leftovers() throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @Test
    void aFullDiskFailsNamingTheFileAndKeepsThePreviousContent() throws IOException {
        Path f = dir.resolve("weights.bin");
        AtomicFile.writeString(f, "old content");
        System.setProperty(WriteFaults.FULL, "100000");
        byte[] big = new byte[300_000];
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFile.write(f, out -> out.write(big)));
        assertEquals(f.toString(), e.getFile());
        assertEquals("cannot be written: No space left on device (the previous version is unchanged)", e.getReason());
        assertEquals("old content", Files.readString(f));
        assertEquals(List.of(), leftovers(), "the temporary file is removed");
        Path fresh = dir.resolve("new.bin");
        FileSystemException again = assertThrows(FileSystemException.class, () -> AtomicFile.write(fresh, out -> out.write(1)));
        assertEquals("cannot be written: No space left on device", again.getReason(), "the disk stays full");
        assertFalse(Files.exists(fresh));
        System.clearProperty(WriteFaults.FULL);
        AtomicFile.write(f, out -> out.write(big)); // space again: the write goes through
        assertEquals(big.length, Files.size(f));
    }

    @Test
    void aPausedWriteIsHalfInItsTemporaryFileAndInvisibleToReaders() throws Exception {
        Path f = dir.resolve("log.txt");
        AtomicFile.writeString(f, "line 1\n");
        System.setProperty(WriteFaults.PAUSE, "400");
        AtomicReference<Exception> failed = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                AtomicFile.writeString(f, "line 1\nline 2\n");
            } catch (IOException e) {
                failed.set(e);
            }
        });
        writer.start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<Path> tmp = leftovers();
        while ((tmp.isEmpty() || Files.size(tmp.get(0)) == 0) && System.nanoTime() < deadline) {
            Thread.sleep(2);
            tmp = leftovers();
        }
        assertEquals(1, tmp.size(), "the write in progress has its temporary file");
        assertEquals("line 1\n", Files.readString(tmp.get(0)), "half of the new content, paused");
        assertEquals("line 1\n", Files.readString(f), "readers see the old file while the write is paused");
        writer.join();
        assertEquals(null, failed.get());
        assertEquals("line 1\nline 2\n", Files.readString(f));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void leftoversOfAKilledWriteAreDeletedAndNothingElse() throws IOException {
        Path kept = dir.resolve("last.safetensors");
        Files.writeString(kept, "whole");
        Files.writeString(dir.resolve(".last.safetensors.8812733612.tmp"), "half");
        Files.writeString(dir.resolve("notes.tmp"), "a user's file");
        AtomicFile.deleteLeftovers(dir);
        assertEquals(List.of(dir.resolve("notes.tmp")), leftovers());
        assertTrue(Files.exists(kept));
    }

    @Test
    void aFolderWithOnlyAKilledWritesLeftoversCountsAsEmpty() throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        assertTrue(AtomicFile.holdsNothingButLeftovers(run), "an empty folder");
        Files.writeString(run.resolve(".config.json.4411.tmp"), "{\"half\": ");
        assertTrue(AtomicFile.holdsNothingButLeftovers(run), "only a temporary file");
        Files.writeString(run.resolve("notes.tmp"), "a user's file");
        assertFalse(AtomicFile.holdsNothingButLeftovers(run), "a file of the user's");
        Files.delete(run.resolve("notes.tmp"));
        Files.createDirectories(run.resolve(".x.1.tmp"));
        assertFalse(AtomicFile.holdsNothingButLeftovers(run), "a folder, even with the name of a leftover");
    }
}
