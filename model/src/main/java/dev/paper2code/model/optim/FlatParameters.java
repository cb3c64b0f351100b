package dev.paper2code.model.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every trainable parameter of a model stored in one contiguous float32 vector, which the parameters
 * view. Why: an optimizer step over ~400 tensors costs a dozen native calls per tensor when each is
 * updated on its own, which dominates small (GPU-like) steps; over one vector, AdamW, the global norm
 * and clipping are a constant number of calls per step, and the gradient arrives as one vector too.
 *
 * <p>How the gradient becomes one vector: a training forward does not read the parameters' own views
 * (made without autograd, for inference, loading and saving) but {@link #trackedViews}: one
 * {@code split_with_sizes} of the vector, made while autograd records, whose backward concatenates the
 * parameters' gradients into the vector's {@code .grad}. The vector is the only leaf that requires a
 * gradient.
 *
 * <p>Writes go through {@link #write} (an in-place copy): DJL's {@code NDArray.set(float[])} would give
 * a view a storage of its own and silently detach it from the vector.
 */
public final class FlatParameters {
    private final NDArray values;
    private final Map<String, Parameter> parameters;
    private final Map<String, Shape> shapes;
    private final Map<String, Long> offsets = new LinkedHashMap<>();
    private final long[] splitPoints;
    private final long size;

    /**
     * Allocates the vector (zeros) in {@code manager} and gives every parameter, in map order, its view.
     * The parameters must not have arrays yet.
     */
    public FlatParameters(NDManager manager, Map<String, Parameter> parameters, Map<String, Shape> shapes) {
        this.parameters = new LinkedHashMap<>(parameters);
        this.shapes = new LinkedHashMap<>(shapes);
        long offset = 0;
        List<Long> points = new ArrayList<>();
        for (String name : parameters.keySet()) {
            Shape shape = shapes.get(name);
            if (shape == null) {
                throw new IllegalArgumentException("no shape for parameter " + name);
            }
            if (offset > 0) {
                points.add(offset);
            }
            offsets.put(name, offset);
            offset += shape.size();
        }
        this.size = offset;
        this.splitPoints = points.stream().mapToLong(Long::longValue).toArray();
        JniUtils.setGradMode(false);
        this.values = manager.zeros(new Shape(size), DataType.FLOAT32);
        NDList pieces = pieces();
        int i = 0;
        for (Map.Entry<String, Parameter> entry : this.parameters.entrySet()) {
            NDArray piece = pieces.get(i++);
            entry.getValue().setArray(piece.reshape(shapes.get(entry.getKey())));
            if (piece != values) {
                piece.close();
            }
        }
        values.setRequiresGradient(true);
    }

    /** One 1-D view per parameter; DJL's split of a single piece returns the vector itself. */
    private NDList pieces() {
        return splitPoints.length == 0 ? new NDList(values) : values.split(splitPoints);
    }

    /** Number of scalars over all parameters. */
    public long size() {
        return size;
    }

    /** The vector itself (a leaf that requires a gradient). Change it only without autograd. */
    public NDArray values() {
        return values;
    }

    /** Parameter names in vector order. */
    public List<String> names() {
        return List.copyOf(parameters.keySet());
    }

    public Shape shape(String name) {
        return shapes.get(name);
    }

    /** Where the parameter starts in the vector. */
    public long offset(String name) {
        Long offset = offsets.get(name);
        if (offset == null) {
            throw new IllegalArgumentException("unknown parameter " + name);
        }
        return offset;
    }

    /** Copies {@code data} into the parameter's place in the vector, through its view (autograd must be off). */
    public void write(String name, float[] data) {
        Parameter parameter = parameters.get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("unknown parameter " + name);
        }
        copyInto(parameter.getArray(), data);
    }

    /**
     * Views of the vector that autograd tracks, for one training forward; they belong to {@code scope}.
     * Must be called while a gradient collector records.
     */
    public ParameterStore trackedViews(NDManager scope) {
        NDList pieces = pieces();
        for (NDArray piece : pieces) {
            if (piece != values) {
                piece.attach(scope);
            }
        }
        Map<Parameter, NDArray> views = new IdentityHashMap<>();
        int i = 0;
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            NDArray view = pieces.get(i++).reshape(shapes.get(entry.getKey()));
            view.attach(scope);
            views.put(entry.getValue(), view);
        }
        return new TrackedViews(scope, views);
    }

    /**
     * Copies {@code data} into an array in place, keeping it a view of whatever it views (autograd must be
     * off). For a parameter whose flat name its owner does not know, e.g. inside one encoder.
     */
    public static void copyInto(NDArray target, float[] data) {
        if (data.length != target.getShape().size()) {
            throw new IllegalArgumentException("expected " + target.getShape().size() + " values, got " + data.length);
        }
        JniUtils.setGradMode(false);
        try (NDArray source = target.getManager().create(data, target.getShape())) {
            target.set(new NDIndex(":"), source);
        }
    }

    /** The accumulated gradient of the whole vector, as an array of {@code scope}; null before any backward. */
    public NDArray gradient(NDManager scope) {
        NDArray gradient = values.getGradient();
        gradient.attach(scope);
        return gradient;
    }

    /** Zeroes the accumulated gradient in place (one native call). */
    public void zeroGradient() {
        JniUtils.zeroGrad((PtNDArray) values);
    }

    /** A parameter's slice of a vector laid out like this one, e.g. an optimizer moment read back to Java. */
    public float[] slice(float[] vector, String name) {
        int offset = (int) offset(name);
        float[] part = new float[(int) shapes.get(name).size()];
        System.arraycopy(vector, offset, part, 0, part.length);
        return part;
    }

    /** Reads what a training forward asks for from the tracked views instead of the parameters' own arrays. */
    private static final class TrackedViews extends ParameterStore {
        private final Map<Parameter, NDArray> views;

        TrackedViews(NDManager scope, Map<Parameter, NDArray> views) {
            super(scope, false);
            this.views = views;
        }

        @Override
        public NDArray getValue(Parameter parameter, ai.djl.Device device, boolean training) {
            NDArray view = views.get(parameter);
            if (view == null) {
                throw new IllegalStateException("parameter " + parameter.getName() + " is not part of the flat vector");
            }
            return view;
        }
    }
}
