package dev.calltracker.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.calltracker.security.Roles;
import dev.calltracker.testing.ReadApi;
import dev.calltracker.twilio.TwilioParams;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract at {@code /q/openapi} describes every JAX-RS endpoint of the service (read from the compiled main
 * classes, not from the spec itself) with the security its {@code @RolesAllowed} enforces, declares its problem
 * answers, marks Twilio's as Twilio's, and matches the checked-in {@code docs/openapi.yaml}.
 */
@QuarkusTest
class OpenApiContractTest {

    private static final java.nio.file.Path CHECKED_IN = java.nio.file.Path.of("docs/openapi.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    record Endpoint(String method, String path, Method javaMethod) {
    }

    static List<Endpoint> endpoints;
    JsonNode spec;

    @BeforeAll
    static void readEndpointsFromTheMainClasses() {
        endpoints = new ArrayList<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.calltracker")) {
            // Interfaces with @Path are REST clients of other services (Twilio's API), not endpoints of this one.
            if (!type.isAnnotatedWith(Path.class) || type.isInterface()) {
                continue;
            }
            Class<?> resource = type.reflect();
            for (Method method : resource.getDeclaredMethods()) {
                for (Annotation annotation : method.getAnnotations()) {
                    HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
                    if (http != null) {
                        Path sub = method.getAnnotation(Path.class);
                        endpoints.add(new Endpoint(http.value().toLowerCase(Locale.ROOT),
                                join(resource.getAnnotation(Path.class).value(), sub == null ? "" : sub.value()), method));
                    }
                }
            }
        }
        assertThat(endpoints).as("the importer found the resources").hasSizeGreaterThanOrEqualTo(10);
    }

    private JsonNode spec() throws IOException {
        if (spec == null) {
            String served = given().get("/q/openapi").then().statusCode(200).extract().asString();
            spec = YAML.readTree(served);
        }
        return spec;
    }

    @Test
    void theSpecIsPublic() {
        given().get("/q/openapi?format=json").then().statusCode(200).body("openapi", equalTo("3.1.0"));
    }

    @Test
    void everyEndpointAppearsWithTheSecurityItsRolesEnforce() throws IOException {
        for (Endpoint endpoint : endpoints) {
            JsonNode operation = spec().path("paths").path(endpoint.path()).path(endpoint.method());
            assertThat(operation.isObject()).as("%s %s in the spec", endpoint.method(), endpoint.path()).isTrue();
            assertThat(schemes(operation)).as("security of %s %s", endpoint.method(), endpoint.path())
                    .isEqualTo(expectedSchemes(endpoint.javaMethod()));
            boolean twilio = isTwilios(endpoint.javaMethod());
            assertThat(tags(operation).contains(ApiContract.TAG_TWILIO)).as("Twilio tag of %s", endpoint.path()).isEqualTo(twilio);
        }
    }

    @Test
    void everyEndpointDeclaresItsProblemAnswers() throws IOException {
        for (Endpoint endpoint : endpoints) {
            JsonNode responses = spec().path("paths").path(endpoint.path()).path(endpoint.method()).path("responses");
            Set<String> expected = new HashSet<>(Set.of("403", "503"));
            expected.addAll(isTwilios(endpoint.javaMethod()) ? Set.of("400", "413", "415") : Set.of("401"));
            assertThat(fieldNames(responses)).as("responses of %s %s", endpoint.method(), endpoint.path()).containsAll(expected);
            for (String status : fieldNames(responses)) {
                if (status.startsWith("4") || status.startsWith("5")) {
                    JsonNode content = resolve(responses.path(status)).path("content");
                    assertThat(content.path(Problem.MEDIA_TYPE).path("schema").path("$ref").asText())
                            .as("%s of %s %s", status, endpoint.method(), endpoint.path())
                            .isEqualTo("#/components/schemas/Problem");
                }
            }
        }
    }

    @Test
    void theProblemSchemaHasTheRecordsFields() throws IOException {
        Set<String> recordFields = Arrays.stream(Problem.class.getRecordComponents()).map(c -> c.getName()).collect(Collectors.toSet());
        assertThat(fieldNames(spec().path("components").path("schemas").path("Problem").path("properties")))
                .isEqualTo(recordFields);
    }

    @Test
    void errorsAreProblemDetailsThatKeepTheirOldFields() {
        ReadApi.asCrmUser().get("/api/calls/not-a-sid").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Bad Request"))
                .body("status", equalTo(400))
                .body("detail", equalTo("callSid must be a Twilio call sid (CA + 32 hex digits)"))
                .body("error", equalTo("callSid must be a Twilio call sid (CA + 32 hex digits)"))
                .body("field", equalTo("callSid"));
        given().get("/api/calls/not-a-sid").then().statusCode(401).contentType(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", "Bearer").body("title", equalTo("Unauthorized")).body("field", nullValue());
    }

    /**
     * The checked-in copy is the served spec (without test-only endpoints). After a deliberate change, refresh it:
     * {@code ./mvnw test -Dtest=OpenApiContractTest -Dopenapi.update=true}.
     */
    @Test
    void theCheckedInCopyIsTheServedSpec() throws IOException {
        ObjectNode served = spec().deepCopy();
        Set<String> mainPaths = endpoints.stream().map(Endpoint::path).collect(Collectors.toSet());
        ((ObjectNode) served.path("paths")).retain(mainPaths);
        if (Boolean.getBoolean("openapi.update")) {
            YAML.writeValue(CHECKED_IN.toFile(), served);
        }
        assertThat(Files.exists(CHECKED_IN)).as(CHECKED_IN + " exists").isTrue();
        assertThat(served).as("docs/openapi.yaml is stale: rerun with -Dopenapi.update=true and review the diff")
                .isEqualTo(YAML.readTree(CHECKED_IN.toFile()));
    }

    private static Set<String> expectedSchemes(Method method) {
        if (isTwilios(method)) {
            return Set.of(ApiContract.TWILIO_SIGNATURE);
        }
        RolesAllowed roles = method.getAnnotation(RolesAllowed.class) != null ? method.getAnnotation(RolesAllowed.class)
                : method.getDeclaringClass().getAnnotation(RolesAllowed.class);
        assertThat(roles).as("%s is neither Twilio's nor role-protected", method).isNotNull();
        Set<String> schemes = new HashSet<>();
        for (String role : roles.value()) {
            schemes.add(switch (role) {
                case Roles.CRM_USER -> ApiContract.CRM_USER;
                case Roles.OPERATOR -> ApiContract.OPERATOR;
                default -> throw new AssertionError("no security scheme for role " + role);
            });
        }
        return schemes;
    }

    /** Twilio's endpoints are those reading a verified Twilio request. */
    private static boolean isTwilios(Method method) {
        return Arrays.asList(method.getParameterTypes()).contains(TwilioParams.class);
    }

    private Set<String> schemes(JsonNode operation) {
        Set<String> schemes = new HashSet<>();
        operation.path("security").forEach(requirement -> schemes.addAll(fieldNames(requirement)));
        return schemes;
    }

    private static Set<String> tags(JsonNode operation) {
        Set<String> tags = new HashSet<>();
        operation.path("tags").forEach(tag -> tags.add(tag.asText()));
        return tags;
    }

    private JsonNode resolve(JsonNode response) throws IOException {
        String ref = response.path("$ref").asText("");
        return ref.isEmpty() ? response : spec().path("components").path("responses").path(ref.substring(ref.lastIndexOf('/') + 1));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static String join(String base, String sub) {
        String path = ("/" + base + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
