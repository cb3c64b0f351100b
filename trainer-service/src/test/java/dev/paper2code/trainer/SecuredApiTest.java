package dev.paper2code.trainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Issue 10.4: checkpoint_dir accepted absolute and ../ paths, and an existing best_model there was
 * replaced recursively; anyone who reached the port could start runs. Paths now stay inside the
 * configured roots, a directory with foreign files is refused, and starting or stopping a run needs
 * the API key when one is configured.
 */
@QuarkusTest
@TestProfile(SecuredApiTest.WithApiKey.class)
@QuarkusTestResource(value = KafkaWithTokenizedPairsResource.class, restrictToAnnotatedClass = true)
class SecuredApiTest {
    public static final class WithApiKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("trainer.api.key", "s3cret", "trainer.api.require-key", "true");
        }
    }

    @ConfigProperty(name = "trainer.run.checkpoint-dir")
    Path checkpointRoot;

    private static RequestSpecification withKey() {
        return given().header("Authorization", "Bearer s3cret").contentType(ContentType.JSON);
    }

    @Test
    void startingAndStoppingRunsNeedsTheKey() {
        given().contentType(ContentType.JSON).body("{}").post("/runs").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer").body("error", containsString("API key"));
        given().header("X-API-Key", "wrong").contentType(ContentType.JSON).body("{}").post("/runs").then().statusCode(401);
        given().post("/runs/run-00000000/stop").then().statusCode(401);
        given().get("/runs").then().statusCode(200);
        // Issue 20.10: authentication schemes are case-insensitive.
        given().header("Authorization", "bearer s3cret").post("/runs/run-00000000/stop").then().statusCode(404);
    }

    /**
     * Issue 20.9: a page on another site could post to the trainer (run-local has no key), e.g. a form
     * with a text/plain body. Cross-origin requests are refused whatever the key; bodies must be JSON.
     */
    @Test
    void crossOriginRequestsAndNonJsonBodiesCannotStartOrStopRuns() {
        withKey().header("Origin", "https://evil.example").body("{}").post("/runs").then().statusCode(403)
                .body("error", containsString("cross-origin"));
        withKey().header("Origin", "null").post("/runs/run-00000000/stop").then().statusCode(403);
        withKey().header("Sec-Fetch-Site", "cross-site").post("/runs/run-00000000/stop").then().statusCode(403);
        given().header("Authorization", "Bearer s3cret").contentType("text/plain").body("{\"num_epochs\": 1}")
                .post("/runs").then().statusCode(415).body("error", containsString("application/json"));
        // The trainer's own page: same origin, allowed through to the next check (an unknown run is 404).
        String port = String.valueOf(io.restassured.RestAssured.port);
        withKey().header("Origin", "http://localhost:" + port).header("Host", "localhost:" + port)
                .post("/runs/run-00000000/stop").then().statusCode(404);
    }

    @Test
    void pathsOutsideTheRootsAndForeignDirectoriesAreRefused() throws IOException {
        withKey().body("{\"checkpoint_dir\": \"" + checkpointRoot.resolve("../elsewhere") + "\"}").post("/runs").then()
                .statusCode(400).body("error", containsString("checkpoint_dir")).body("error", containsString("outside"));
        withKey().body("{\"checkpoint_dir\": \"/tmp\"}").post("/runs").then().statusCode(400)
                .body("error", containsString("outside"));
        withKey().body("{\"resume_from\": \"/etc\"}").post("/runs").then().statusCode(400)
                .body("error", containsString("resume_from"));
        withKey().body("{\"model_dir\": \"/\"}").post("/runs").then().statusCode(400)
                .body("error", containsString("model_dir"));
        withKey().body("{\"tokenizer_path\": \"/usr/share\"}").post("/runs").then().statusCode(400)
                .body("error", containsString("tokenizer_path"));

        Path foreign = Files.createDirectories(checkpointRoot.resolve("someone-elses"));
        Files.writeString(foreign.resolve("notes.txt"), "not the trainer's");
        Files.createDirectories(foreign.resolve("best_model"));
        withKey().body("{\"checkpoint_dir\": \"" + foreign + "\"}").post("/runs").then().statusCode(400)
                .body("error", containsString("holds files the trainer did not write (notes.txt)"));
    }
}
