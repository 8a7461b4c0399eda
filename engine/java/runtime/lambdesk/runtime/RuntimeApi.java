package lambdesk.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.List;
import java.util.Map;

// The Runtime API (2018-06-01) as the runtime speaks it: one connection per call, no client
// threads, so that a cold start pays for nothing it does not use.
final class RuntimeApi {
    static final class Answer {
        final int status;
        final Map<String, List<String>> headers;
        final byte[] body;

        Answer(int status, Map<String, List<String>> headers, byte[] body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        String header(String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet())
                if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty())
                    return entry.getValue().get(0);
            return null;
        }
    }

    private final String base;

    RuntimeApi(String address) {
        this.base = "http://" + address + "/2018-06-01/runtime/";
    }

    Answer get(String path) throws IOException {
        return call("GET", path, null, null);
    }

    Answer post(String path, byte[] body, String errorType) throws IOException {
        return call("POST", path, body, errorType);
    }

    private Answer call(String method, String path, byte[] body, String errorType) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(base + path).openConnection();
        connection.setRequestMethod(method);
        connection.setReadTimeout(0); // next waits as long as no event comes
        connection.setUseCaches(false);
        if (errorType != null)
            connection.setRequestProperty("Lambda-Runtime-Function-Error-Type", errorType);
        if (body != null) {
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(body.length);
            connection.setRequestProperty("Content-Type", errorType != null ? "application/json" : "application/unknown");
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        if (in != null) {
            try (in) {
                in.transferTo(content);
            }
        }
        return new Answer(status, connection.getHeaderFields(), content.toByteArray());
    }
}
