package lambdesk.runtime;

import com.amazonaws.services.lambda.runtime.Context;

// A loaded handler: the event's bytes in, the response's bytes out.
interface Handler {
    byte[] invoke(byte[] event, Context context) throws Throwable;
}
