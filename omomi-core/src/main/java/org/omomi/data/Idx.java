package org.omomi.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The IDX format of MNIST and Fashion-MNIST: two zero bytes, a type byte, the number of
 * dimensions, the dimensions as big-endian 32-bit integers, then the values. Files may be
 * gzipped (recognized by their first bytes, whatever their name). Only unsigned bytes (type 0x08)
 * are read, which is what these data sets use. A truncated or malformed file is reported with its
 * name and what is missing; memory is bounded by the data the file holds, whatever its header
 * claims.
 */
public final class Idx {

    /** The dimensions and the raw unsigned bytes. */
    public record Array(int[] dims, byte[] values) {}

    private Idx() {}

    public static Array read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new BufferedInputStream(new GZIPInputStream(raw)) : raw;
            DataInputStream data = new DataInputStream(in);
            int[] dims;
            try {
                int magic = data.readInt();
                if ((magic >>> 16) != 0) {
                    throw bad(file, String.format("not an IDX file (magic number 0x%08x)", magic));
                }
                int type = (magic >>> 8) & 0xff;
                if (type != 0x08) {
                    throw bad(file, String.format("element type 0x%02x is not supported (only unsigned bytes, 0x08)", type));
                }
                int rank = magic & 0xff;
                if (rank < 1 || rank > 8) {
                    throw bad(file, "has " + rank + " dimensions");
                }
                dims = new int[rank];
                long count = 1;
                for (int i = 0; i < rank; i++) {
                    dims[i] = data.readInt();
                    if (dims[i] < 0) {
                        throw bad(file, "dimension " + i + " is negative");
                    }
                    count = Math.min(count * dims[i], Integer.MAX_VALUE); // saturates: eight dimensions of 2³¹ would overflow a long
                }
                if (count > Integer.MAX_VALUE - 16) {
                    throw bad(file, "dimensions " + Arrays.toString(dims) + " are too large");
                }
                // readNBytes grows its buffer as data arrives, so a header claiming 2³¹ values in a
                // small file costs only what the file holds before it is found short.
                byte[] values = data.readNBytes((int) count);
                if (values.length < count) {
                    throw bad(file, "truncated: dimensions " + Arrays.toString(dims) + " need " + count
                            + " bytes of data, found " + values.length);
                }
                return new Array(dims, values);
            } catch (EOFException e) {
                throw bad(file, "truncated inside the header");
            }
        } catch (java.util.zip.ZipException e) {
            throw bad(file, "corrupt gzip data (" + e.getMessage() + ")");
        } catch (EOFException e) {
            throw bad(file, "truncated gzip data");
        }
    }

    private static IllegalArgumentException bad(Path file, String what) {
        return new IllegalArgumentException(file + ": " + what);
    }
}
