package dev.paper2code.model.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlatParametersTest {

    private static Map<String, Parameter> parameters(String... names) {
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        for (String name : names) {
            parameters.put(name, Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build());
        }
        return parameters;
    }

    @Test
    void parametersViewTheVectorAndWritesGoThroughToIt() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> parameters = parameters("a", "b");
            Map<String, Shape> shapes = new LinkedHashMap<>();
            shapes.put("a", new Shape(2, 3));
            shapes.put("b", new Shape(4));
            FlatParameters flat = new FlatParameters(manager, parameters, shapes);
            assertEquals(10, flat.size());
            assertEquals(6, flat.offset("b"));
            flat.write("b", new float[] {1, 2, 3, 4});
            FlatParameters.copyInto(parameters.get("a").getArray(), new float[] {5, 6, 7, 8, 9, 10});
            assertArrayEquals(new float[] {5, 6, 7, 8, 9, 10, 1, 2, 3, 4}, flat.values().toFloatArray());
            assertEquals(new Shape(2, 3), parameters.get("a").getArray().getShape());
            flat.values().muli(2);
            assertArrayEquals(new float[] {2, 4, 6, 8}, parameters.get("b").getArray().toFloatArray(),
                    "an in-place update of the vector is the parameters' update");
        }
    }

    /** DJL's split of one piece returns the array itself: a step's scope must not take the vector with it. */
    @Test
    void aSingleParameterModelKeepsItsVectorAcrossSteps() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> parameters = parameters("only");
            FlatParameters flat = new FlatParameters(manager, parameters, Map.of("only", new Shape(3)));
            for (int step = 0; step < 2; step++) {
                try (NDManager scope = manager.newSubManager()) {
                    JniUtils.setGradMode(true);
                    NDArray view = flat.trackedViews(scope).getValue(parameters.get("only"), manager.getDevice(), true);
                    JniUtils.setGradMode(false);
                    assertEquals(new Shape(3), view.getShape());
                }
            }
            flat.write("only", new float[] {1, 2, 3});
            assertArrayEquals(new float[] {1, 2, 3}, flat.values().toFloatArray());
            assertArrayEquals(new float[] {1, 2, 3}, parameters.get("only").getArray().toFloatArray());
        }
    }

    /** Blocked updates (a vector past one block) against torch.optim.AdamW's formula, computed in Java. */
    @Test
    void aVectorLargerThanOneBlockIsUpdatedAsAdamWDefines() {
        int size = (1 << 22) + 12_345;
        float lr = 1e-2f;
        float wd = 0.01f;
        Random random = new Random(3);
        float[] weights = new float[size];
        float[][] gradients = new float[2][size];
        double[] w = new double[size];
        for (int i = 0; i < size; i++) {
            weights[i] = (float) random.nextGaussian();
            w[i] = weights[i];
            gradients[0][i] = (float) random.nextGaussian();
            gradients[1][i] = (float) random.nextGaussian();
        }
        double[] m = new double[size];
        double[] v = new double[size];
        try (NDManager manager = NDManager.newBaseManager(); AdamW adamW = new AdamW(manager, wd)) {
            FlatParameters flat = new FlatParameters(manager, parameters("w"), Map.of("w", new Shape(size)));
            flat.write("w", weights);
            for (int step = 1; step <= 2; step++) {
                try (NDManager scope = manager.newSubManager()) {
                    adamW.update(flat, scope.create(gradients[step - 1]), lr);
                }
                double bc1 = 1 - Math.pow(0.9, step);
                double bc2 = 1 - Math.pow(0.999, step);
                for (int i = 0; i < size; i++) {
                    double g = gradients[step - 1][i];
                    w[i] *= 1 - lr * wd;
                    m[i] = 0.9 * m[i] + 0.1 * g;
                    v[i] = 0.999 * v[i] + 0.001 * g * g;
                    w[i] -= lr / bc1 * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + 1e-8);
                }
            }
            float[] actual = flat.values().toFloatArray();
            double worst = 0;
            for (int i = 0; i < size; i++) {
                worst = Math.max(worst, Math.abs(actual[i] - w[i]));
            }
            assertTrue(worst < 1e-5, "largest difference " + worst);
        }
    }
}
