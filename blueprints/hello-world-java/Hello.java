package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.util.Map;

// Deploy compiles this source (javac) into example/Hello.class, against the same
// com.amazonaws.services.lambda.runtime classes as AWS's aws-lambda-java-core.
public class Hello implements RequestHandler<Map<String, Object>, Object> {
    @Override
    public Object handleRequest(Map<String, Object> event, Context context) {
        LambdaLogger logger = context.getLogger();
        logger.log("Received event: " + event + "\n");
        for (String key : new String[] {"key1", "key2", "key3"})
            logger.log(key + " = " + event.get(key) + "\n");
        logger.log(context.getFunctionName() + " has " + context.getRemainingTimeInMillis() + " ms left\n");
        return event.get("key1"); // Echo back the first key value
    }
}
