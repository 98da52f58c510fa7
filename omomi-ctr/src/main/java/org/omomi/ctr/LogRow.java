package org.omomi.ctr;

/**
 * One impression of a click log: its feature values as text, in the order of the reader's
 * {@link LogReader#fields()}; the label (1 = clicked, 0 = not, NaN when the file has none); the
 * generator's true click probability when the file carries one ({@code true_probability}), else
 * NaN; and the line it starts on, which also keys the row's place in the held-out split.
 */
public record LogRow(String[] values, float label, double truth, int line) {}
