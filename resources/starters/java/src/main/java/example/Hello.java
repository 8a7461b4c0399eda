package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.util.Map;

// Deploy compiles this source into example/Hello.class; the handler is
// example.Hello::handleRequest.
public class Hello implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        context.getLogger().log("EVENT: " + event + "\n");
        return Map.of("statusCode", 200, "body", "\"Hello from Lambda!\"");
    }
}
