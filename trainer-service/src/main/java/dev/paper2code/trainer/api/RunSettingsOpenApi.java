package dev.paper2code.trainer.api;

import dev.paper2code.training.settings.RunSettings;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Documents the body of {@code POST /runs} in the OpenAPI description from {@link RunSettings}'s own
 * declarations (name, type, default, meaning, configuration property), so the document cannot drift
 * from the settings. The resource reads the body as text on purpose (to return JSON parse errors), so
 * the generated schema would only say "string".
 */
public class RunSettingsOpenApi implements OASFilter {
    static final String SCHEMA = "RunSettings";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Schema settings = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .additionalPropertiesBoolean(false)
                .description("Settings of a run. Every field is optional: what a request leaves out takes the "
                        + "service's configured value (the default shown, unless the configuration property named "
                        + "in the field's description overrides it). Unknown names and invalid values are refused "
                        + "with 400 and a message naming them.");
        for (RunSettings.Declaration declaration : RunSettings.declarations()) {
            Schema field = OASFactory.createSchema().addType(type(declaration.type()))
                    .description(declaration.description() + " (configuration: " + declaration.property() + ")");
            if (declaration.type() == long.class) {
                field.format("int64");
            }
            if (declaration.defaultValue() != null) {
                field.defaultValue(value(declaration.type(), declaration.defaultValue()));
            }
            settings.addProperty(declaration.name(), field);
        }
        if (openAPI.getComponents() == null) {
            openAPI.components(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema(SCHEMA, settings);
        PathItem runs = openAPI.getPaths() == null ? null : openAPI.getPaths().getPathItem("/runs");
        Operation start = runs == null ? null : runs.getPOST();
        if (start != null) {
            start.requestBody(OASFactory.createRequestBody().required(true)
                    .description("The settings to override; {} starts a run with the defaults")
                    .content(OASFactory.createContent().addMediaType("application/json", OASFactory.createMediaType()
                            .schema(OASFactory.createSchema().ref(SCHEMA))
                            .example(Map.of("batch_size", 16, "num_epochs", 5, "learning_rate", 3e-5)))));
        }
    }

    private static Schema.SchemaType type(Class<?> type) {
        if (type == int.class || type == long.class) {
            return Schema.SchemaType.INTEGER;
        }
        if (type == float.class || type == double.class) {
            return Schema.SchemaType.NUMBER;
        }
        return type == boolean.class ? Schema.SchemaType.BOOLEAN : Schema.SchemaType.STRING;
    }

    private static Object value(Class<?> type, String text) {
        if (type == int.class || type == long.class) {
            return Long.parseLong(text);
        }
        if (type == float.class || type == double.class) {
            return Double.parseDouble(text);
        }
        return type == boolean.class ? (Object) Boolean.parseBoolean(text) : text;
    }
}
