package org.omomi.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.omomi.tensor.Autograd;
import org.omomi.tensor.Inputs;
import org.omomi.tensor.Rng;
import org.omomi.tensor.Tensor;

/**
 * A piece of a network: it owns named parameters (trained), buffers (state that is saved but not
 * trained, such as BatchNorm's running mean) and child modules, each in insertion order.
 *
 * <p>Names compose with dots exactly as PyTorch's {@code state_dict()} keys do, so a model and its
 * PyTorch twin have the same keys: a {@link Sequential} of Dense, ReLU, Dense has
 * {@code 0.weight}, {@code 0.bias}, {@code 2.weight}, {@code 2.bias}.
 *
 * <p>Subclasses declare their tensors in the constructor with {@link #parameter}, {@link #buffer}
 * and {@link #child}, give them values in {@link #resetParameters(Rng)}, and implement
 * {@link #forward(Tensor)} in a few lines of tensor operations; autograd does the backward.
 */
public abstract class Module {

    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, List<Penalty>> penalties = new LinkedHashMap<>();
    private final Map<String, List<Constraint>> constraints = new LinkedHashMap<>();
    private boolean training = true;
    private UnaryOperator<Tensor> forwardHook;

    /** Computes this module's output from its one float input. */
    public abstract Tensor forward(Tensor input);

    /**
     * Computes this module's output from named inputs. A single-input module reads
     * {@link Inputs#single()}; models with several inputs (ids per categorical field, a user and an
     * item) override this.
     */
    public Tensor forward(Inputs inputs) {
        return forward(inputs.single());
    }

    /**
     * {@link #forward(Tensor)}, then this module's forward hook if one is set. Containers call their
     * children through this method, so a hook sees, and may replace, the output of any layer of a
     * model: Grad-CAM reads a convolution's activations this way, and the run log counts dead ReLUs.
     */
    public final Tensor call(Tensor input) {
        Tensor out = forward(input);
        return forwardHook == null ? out : forwardHook.apply(out);
    }

    /** {@link #forward(Inputs)}, then the forward hook, as {@link #call(Tensor)}. */
    public final Tensor call(Inputs inputs) {
        Tensor out = forward(inputs);
        return forwardHook == null ? out : forwardHook.apply(out);
    }

    /** Whether a forward hook is set: a compiled plan that bypasses {@link #call} must not skip one. */
    final boolean hasForwardHook() {
        return forwardHook != null;
    }

    /**
     * Sets the function applied to this module's output by {@link #call(Tensor)}, or removes it
     * with {@code null}; returns the hook it replaces, so a caller can restore it.
     */
    public final UnaryOperator<Tensor> setForwardHook(UnaryOperator<Tensor> hook) {
        var previous = forwardHook;
        forwardHook = hook;
        return previous;
    }

    /** The descendant with the given dotted name (as in {@link #namedModules()}); errors list the names. */
    public final Module module(String name) {
        Map<String, Module> all = namedModules();
        Module m = all.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no module named '" + name + "'; the model has " + String.join(", ", all.keySet().stream().filter(k -> !k.isEmpty()).toList()));
        }
        return m;
    }

    /** Registers a trainable parameter under {@code name}; returns it, now requiring gradients. */
    protected final Tensor parameter(String name, Tensor value) {
        checkName(name);
        if (!value.isContiguous() || value.gradFnName() != null) {
            throw new IllegalArgumentException("parameter " + name + " must be a dense leaf tensor");
        }
        parameters.put(name, value.requiresGrad(true));
        return value;
    }

    /** Registers a buffer: state saved with the model but not trained. */
    protected final Tensor buffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, value);
        return value;
    }

    /** Registers a child module under {@code name}; returns it. */
    protected final <M extends Module> M child(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module member names must be non-empty and without dots: '" + name + "'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("'" + name + "' is already registered in " + getClass().getSimpleName());
        }
    }

    /**
     * Gives every parameter of this module and its children fresh values from {@code rng}. Layers
     * with parameters override this (and need not call super: they have no children); containers
     * rely on this default, which visits the children in order, each with a split of the generator.
     */
    public void resetParameters(Rng rng) {
        for (Module c : children.values()) {
            c.resetParameters(rng.split());
        }
    }

    // ------------------------------------------------------------------ traversal

    /** Every parameter, with dotted names, in registration order: own first, then children's. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false);
        return out;
    }

    /** Every parameter, in the order of {@link #namedParameters()}. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /**
     * Parameters and buffers with dotted names, in PyTorch's {@code state_dict()} order: for each
     * module its parameters, then its buffers, then its children's entries.
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true);
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out, boolean withBuffers) {
        parameters.forEach((n, t) -> out.put(prefix + n, t));
        if (withBuffers) {
            buffers.forEach((n, t) -> out.put(prefix + n, t));
        }
        children.forEach((n, m) -> m.collect(prefix + n + ".", out, withBuffers));
    }

    /** This module and every descendant, by dotted name ("" for this one). */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        out.put("", this);
        children.forEach((n, m) -> m.namedModules().forEach((k, v) -> out.put(k.isEmpty() ? n : n + "." + k, v)));
        return out;
    }

    /** The direct children, by name. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * Copies values into this model's parameters and buffers, in place (optimizers keep their
     * references). Keys and shapes must match exactly; errors name the key.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> mine = stateDict();
        List<String> missing = new ArrayList<>();
        for (String k : mine.keySet()) {
            if (!state.containsKey(k)) {
                missing.add(k);
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String k : state.keySet()) {
            if (!mine.containsKey(k)) {
                unexpected.add(k);
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict: missing keys " + missing + ", unexpected keys " + unexpected);
        }
        for (Map.Entry<String, Tensor> e : mine.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("loadStateDict: " + e.getKey() + " has shape " + Arrays.toString(src.shape())
                        + " in the given state but " + Arrays.toString(e.getValue().shape()) + " in the model");
            }
        }
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            for (Map.Entry<String, Tensor> e : mine.entrySet()) {
                e.getValue().copyFrom(state.get(e.getKey()));
            }
        }
    }

    // ------------------------------------------------------------------ random state

    /**
     * The state of the generators this module and its children draw from while training (dropout
     * masks), by dotted name: what a checkpoint needs, beyond the weights, for a resumed run to
     * continue exactly as an uninterrupted one.
     */
    public final Map<String, long[]> randomState() {
        Map<String, long[]> out = new LinkedHashMap<>();
        namedModules().forEach((name, m) -> {
            Rng r = m.generator();
            if (r != null) {
                out.put(name, r.state());
            }
        });
        return out;
    }

    /** Restores {@link #randomState()}. */
    public final void setRandomState(Map<String, long[]> state) {
        Map<String, Module> modules = namedModules();
        state.forEach((name, s) -> {
            Module m = modules.get(name);
            if (m == null || m.generator() == null) {
                throw new IllegalArgumentException("random state for '" + name + "', which draws no random numbers");
            }
            m.setGenerator(Rng.fromState(s));
        });
    }

    /** The generator this module draws from during training, or null (the default: none). */
    protected Rng generator() {
        return null;
    }

    /** Replaces the generator (only called for modules whose {@link #generator()} is not null). */
    protected void setGenerator(Rng rng) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " draws no random numbers");
    }

    // ------------------------------------------------------------------ modes

    /** Training mode (the default): dropout drops, batch norm uses batch statistics. */
    public final Module train() {
        return setTraining(true);
    }

    /** Evaluation mode: dropout is the identity, batch norm uses running statistics. */
    public final Module eval() {
        return setTraining(false);
    }

    private Module setTraining(boolean on) {
        training = on;
        children.values().forEach(c -> c.setTraining(on));
        return this;
    }

    public final boolean isTraining() {
        return training;
    }

    /** Stops gradients for every parameter (they stay as they are during training). */
    public final Module freeze() {
        parameters().forEach(p -> p.requiresGrad(false));
        return this;
    }

    /** Lets every parameter train again. */
    public final Module unfreeze() {
        parameters().forEach(p -> p.requiresGrad(true));
        return this;
    }

    /** The number of scalar parameters. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor p : parameters()) {
            n += p.numel();
        }
        return n;
    }

    /** The number of scalar parameters that currently train. */
    public final long trainableParameterCount() {
        long n = 0;
        for (Tensor p : parameters()) {
            if (p.requiresGrad()) {
                n += p.numel();
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ regularization

    /**
     * Attaches a penalty to the parameter with this dotted name (for example {@code "0.weight"});
     * {@link #penaltyTerms()} then reports it as its own loss term.
     */
    public final Module penalize(String parameterName, Penalty penalty) {
        requireParameter(parameterName);
        penalties.computeIfAbsent(parameterName, k -> new ArrayList<>()).add(penalty);
        return this;
    }

    /**
     * Attaches a penalty to this module's weights: the parameters named {@code weight}, which is
     * where L1 and L2 belong (penalizing biases only shifts the outputs).
     */
    public final Module penalize(Penalty penalty) {
        return penalize(ownWeight("penalize"), penalty);
    }

    /**
     * Each attached penalty's value for the current parameters, keyed like {@code "l2(0.weight)"},
     * recorded for autograd: add them to the data loss, and log them separately.
     */
    public final Map<String, Tensor> penaltyTerms() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedModules().forEach((prefix, m) -> m.penalties.forEach((name, list) -> {
            String full = prefix.isEmpty() ? name : prefix + "." + name;
            Tensor p = m.namedParameters().get(name);
            for (Penalty pen : list) {
                out.merge(pen.name() + "(" + full + ")", pen.apply(p), Tensor::add);
            }
        }));
        return out;
    }

    /** The sum of {@link #penaltyTerms()}, or a zero scalar when none are attached. */
    public final Tensor penaltyTotal() {
        Tensor total = Tensor.scalar(0f);
        for (Tensor t : penaltyTerms().values()) {
            total = total.add(t);
        }
        return total;
    }

    /** Attaches a constraint to a parameter; {@link #applyConstraints()} enforces it after each step. */
    public final Module constrain(String parameterName, Constraint constraint) {
        requireParameter(parameterName);
        constraints.computeIfAbsent(parameterName, k -> new ArrayList<>()).add(constraint);
        return this;
    }

    /** Attaches a constraint to this module's {@code weight}. */
    public final Module constrain(Constraint constraint) {
        return constrain(ownWeight("constrain"), constraint);
    }

    /** "weight", after checking this module has one; {@code use} names the method for the error. */
    private String ownWeight(String use) {
        if (!parameters.containsKey("weight")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no parameter named 'weight'; use " + use + "(name, ...)");
        }
        return "weight";
    }

    /** Projects every constrained parameter back into its allowed set; call after each optimizer step. */
    public final void applyConstraints() {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            namedModules().values().forEach(m -> m.constraints.forEach((name, list) -> {
                Tensor p = m.namedParameters().get(name);
                for (Constraint c : list) {
                    c.apply(p);
                }
            }));
        }
    }

    private void requireParameter(String dotted) {
        if (!namedParameters().containsKey(dotted)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no parameter '" + dotted + "'; it has " + namedParameters().keySet());
        }
    }

    // ------------------------------------------------------------------ printing

    /** A one-line description of this module's own configuration, e.g. {@code Dense(784 → 512)}. */
    protected String describe() {
        return getClass().getSimpleName() + "()";
    }

    /** The module tree, one line per module, as PyTorch prints it. */
    @Override
    public String toString() {
        if (children.isEmpty()) {
            return describe();
        }
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append("(\n");
        children.forEach((n, m) -> sb.append("  (").append(n).append("): ")
                .append(m.toString().replace("\n", "\n  ")).append('\n'));
        return sb.append(')').toString();
    }
}
