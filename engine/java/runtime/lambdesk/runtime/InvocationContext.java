package lambdesk.runtime;

import com.amazonaws.services.lambda.runtime.Client;
import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

// One invocation's Context, from the environment and the headers of its /next answer.
final class InvocationContext implements Context {
    private final String requestId;
    private final String functionArn;
    private final long deadlineMs;
    private final ClientContext clientContext;
    private final CognitoIdentity identity;
    private final LambdaLogger logger;

    InvocationContext(RuntimeApi.Answer next, LambdaLogger logger) {
        this.requestId = next.header("Lambda-Runtime-Aws-Request-Id");
        this.functionArn = next.header("Lambda-Runtime-Invoked-Function-Arn");
        long deadline;
        try {
            deadline = Long.parseLong(next.header("Lambda-Runtime-Deadline-Ms"));
        } catch (NumberFormatException e) {
            deadline = System.currentTimeMillis();
        }
        this.deadlineMs = deadline;
        this.clientContext = parseClientContext(next.header("Lambda-Runtime-Client-Context"));
        this.identity = parseIdentity(next.header("Lambda-Runtime-Cognito-Identity"));
        this.logger = logger;
    }

    String requestId() {
        return requestId;
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return System.getenv("AWS_LAMBDA_LOG_GROUP_NAME");
    }

    @Override
    public String getLogStreamName() {
        return System.getenv("AWS_LAMBDA_LOG_STREAM_NAME");
    }

    @Override
    public String getFunctionName() {
        return System.getenv("AWS_LAMBDA_FUNCTION_NAME");
    }

    @Override
    public String getFunctionVersion() {
        return System.getenv("AWS_LAMBDA_FUNCTION_VERSION");
    }

    @Override
    public String getInvokedFunctionArn() {
        return functionArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return identity;
    }

    @Override
    public ClientContext getClientContext() {
        return clientContext;
    }

    @Override
    public int getRemainingTimeInMillis() {
        long left = deadlineMs - System.currentTimeMillis();
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
    }

    @Override
    public int getMemoryLimitInMB() {
        try {
            return Integer.parseInt(System.getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"));
        } catch (NumberFormatException e) {
            return 128;
        }
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }

    private static JsonNode parse(String header) {
        if (header == null || header.isEmpty())
            return null;
        try {
            JsonNode node = Json.MAPPER.readTree(header);
            return node != null && node.isObject() ? node : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Map<String, String> strings(JsonNode node) {
        if (node == null || !node.isObject())
            return Collections.emptyMap();
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        return Collections.unmodifiableMap(out);
    }

    private static CognitoIdentity parseIdentity(String header) {
        JsonNode node = parse(header);
        if (node == null)
            return null;
        final String id = text(node, "cognitoIdentityId");
        final String pool = text(node, "cognitoIdentityPoolId");
        return new CognitoIdentity() {
            @Override
            public String getIdentityId() {
                return id;
            }

            @Override
            public String getIdentityPoolId() {
                return pool;
            }
        };
    }

    private static ClientContext parseClientContext(String header) {
        JsonNode node = parse(header);
        if (node == null)
            return null;
        final JsonNode clientNode = node.get("client");
        final Client client = clientNode == null || !clientNode.isObject() ? null : new Client() {
            @Override
            public String getInstallationId() {
                return text(clientNode, "installation_id");
            }

            @Override
            public String getAppTitle() {
                return text(clientNode, "app_title");
            }

            @Override
            public String getAppVersionName() {
                return text(clientNode, "app_version_name");
            }

            @Override
            public String getAppVersionCode() {
                return text(clientNode, "app_version_code");
            }

            @Override
            public String getAppPackageName() {
                return text(clientNode, "app_package_name");
            }
        };
        final Map<String, String> custom = strings(node.get("custom"));
        final Map<String, String> environment = strings(node.get("env"));
        return new ClientContext() {
            @Override
            public Client getClient() {
                return client;
            }

            @Override
            public Map<String, String> getCustom() {
                return custom;
            }

            @Override
            public Map<String, String> getEnvironment() {
                return environment;
            }
        };
    }
}
