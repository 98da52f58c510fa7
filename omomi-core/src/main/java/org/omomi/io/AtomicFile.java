package org.omomi.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see either the old content or the complete new content, never a
 * half-written file, even if the process is killed or the machine loses power mid-write: the bytes
 * go to a temporary file in the same folder, are forced to disk, and the file is renamed over the
 * target in one atomic step; then the folder itself is forced so the rename is durable. A write
 * that fails (a full disk, a folder made read-only) leaves the previous file as it was and throws
 * an exception naming the file. Tests inject crashes and full disks with system properties ({@code WriteFaults}).
 */
public final class AtomicFile {

    /** Something that writes the file's content. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFile() {}

    /** Replaces {@code target} with what {@code writer} writes. */
    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new NoSuchFileException(target.toString(), null, "folder does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new AccessDeniedException(dir.toString(), null, "the folder is not writable (a read-only disk, or no permission)");
        }
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                // Closing this stream only flushes: the channel must stay open to be forced.
                BufferedOutputStream out = new BufferedOutputStream(WriteFaults.wrap(Channels.newOutputStream(ch)), 1 << 16) {
                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                };
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            keepPermissions(tmp, target);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            forceFolder(dir);
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException e) {
            // A full disk or an I/O error names no file; say which one, and that the old one stands.
            FileSystemException named = new FileSystemException(target.toString(), null, "cannot be written: " + e.getMessage()
                    + (Files.exists(target) ? " (the previous version is unchanged)" : ""));
            named.initCause(e);
            throw named;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Gives the new file the old one's permissions, or rw-r--r-- for a new file: temporary files
     * are created private (rw-------), which would make every run folder unreadable to others.
     */
    private static void keepPermissions(Path tmp, Path target) throws IOException {
        if (!tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.exists(target)
                ? Files.getPosixFilePermissions(target)
                : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(tmp, perms);
    }

    /**
     * Deletes the temporary files that writes into {@code dir} left when their process was killed
     * before the rename (a resumed training calls this; the files they were replacing are whole).
     */
    public static void deleteLeftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.newDirectoryStream(dir, ".*.[0-9]*.tmp")) {
            for (Path f : files) {
                if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /**
     * Whether {@code dir} holds nothing, or nothing but the temporary files of writes killed
     * before their rename: a run folder whose command was stopped before its first file was
     * whole, which a new run may take (after {@link #deleteLeftovers}) instead of refusing it.
     */
    public static boolean holdsNothingButLeftovers(Path dir) throws IOException {
        try (var all = Files.newDirectoryStream(dir)) {
            for (Path f : all) {
                if (!f.getFileName().toString().matches("\\..+\\.[0-9]+\\.tmp")
                        || !Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Replaces {@code target} with a UTF-8 text. */
    public static void writeString(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /** Makes a rename in {@code dir} durable (a no-op where folders cannot be opened, as on Windows). */
    private static void forceFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not supported on this platform; the rename itself is still atomic.
        }
    }
}
