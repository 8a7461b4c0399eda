// Lambdesk's own implementation of the org.crac API (the org.crac:crac artifact) that Lambda's
// Java runtimes provide for SnapStart's runtime hooks, written from its documented API.
package org.crac;

public interface Resource {
    void beforeCheckpoint(Context<? extends Resource> context) throws Exception;

    void afterRestore(Context<? extends Resource> context) throws Exception;
}
