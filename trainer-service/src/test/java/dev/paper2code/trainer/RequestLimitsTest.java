package dev.paper2code.trainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 20.10: 413 and 414 came with empty bodies; the dashboard's search proxy answered 414 to a
 * 4 KB query that search itself takes (Vert.x's 4 KiB default line), and turned {@code k=abc} into its
 * own 404 instead of search's answer. A stand-in search-service echoes what reaches it.
 */
@QuarkusTest
@TestProfile(RequestLimitsTest.WithSearch.class)
@QuarkusTestResource(value = KafkaWithTokenizedPairsResource.class, restrictToAnnotatedClass = true)
class RequestLimitsTest {
    /** Answers 400 for a k that is no number, as search-service does, else echoes q's length, k and method. */
    static final HttpServer SEARCH;

    static {
        try {
            SEARCH = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SEARCH.createContext("/search", exchange -> {
            Map<String, String> query = new java.util.HashMap<>();
            for (String part : exchange.getRequestURI().getRawQuery().split("&")) {
                String[] kv = part.split("=", 2);
                query.put(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
            }
            boolean number = query.get("k").matches("[0-9]+");
            byte[] body = (number ? "{\"length\":" + query.get("q").length() + ",\"k\":" + query.get("k")
                    + ",\"method\":\"" + query.getOrDefault("method", "") + "\"}"
                    : "{\"error\":\"k must be a whole number, got abc\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(number ? 200 : 400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        SEARCH.start();
    }

    public static final class WithSearch implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("trainer.dashboard.search-url", "http://127.0.0.1:" + SEARCH.getAddress().getPort());
        }
    }

    @Test
    void aLongQueryReachesSearchAndSearchsOwnAnswerComesBack() {
        String query = "a".repeat(4_096);
        given().queryParam("q", query).queryParam("k", "5").queryParam("method", "bm25").get("/dashboard/search")
                .then().statusCode(200).body("length", equalTo(4_096)).body("k", equalTo(5)).body("method", equalTo("bm25"));
        given().queryParam("q", "x").queryParam("k", "abc").get("/dashboard/search")
                .then().statusCode(400).body("error", containsString("k must be a whole number"));
    }

    @Test
    void requestsPastTheLimitsGetTheirReasonAsJson() {
        given().queryParam("q", "b".repeat(70_000)).get("/dashboard/search").then().statusCode(414)
                .contentType(ContentType.JSON).body("error", containsString("more than the 65536"));
        given().contentType(ContentType.JSON).body("{\"x\":\"" + "c".repeat(2 << 20) + "\"}").post("/runs")
                .then().statusCode(413).contentType(ContentType.JSON).body("error", containsString("bytes"));
    }
}
