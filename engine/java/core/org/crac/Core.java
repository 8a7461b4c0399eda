package org.crac;

import java.util.ArrayList;
import java.util.List;

// The global context: beforeCheckpoint runs the registered resources in the reverse order of
// their registration, afterRestore in that order, as org.crac documents.
public final class Core {
    private static final GlobalContext GLOBAL = new GlobalContext();

    private Core() {
    }

    public static Context<Resource> getGlobalContext() {
        return GLOBAL;
    }

    // Here the runtime takes the snapshot, not the function: a request from code is refused.
    public static void checkpointRestore() throws CheckpointException, RestoreException {
        throw new CheckpointException(
                "checkpointRestore is not supported: SnapStart takes the snapshot after init");
    }

    private static final class GlobalContext extends Context<Resource> {
        private final List<Resource> resources = new ArrayList<>();

        @Override
        public synchronized void register(Resource resource) {
            if (resource == null)
                throw new NullPointerException("resource");
            resources.add(resource);
        }

        private synchronized List<Resource> snapshot() {
            return new ArrayList<>(resources);
        }

        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) throws CheckpointException {
            List<Resource> list = snapshot();
            CheckpointException failure = null;
            for (int i = list.size() - 1; i >= 0; --i) {
                try {
                    list.get(i).beforeCheckpoint(this);
                } catch (Exception e) {
                    if (failure == null)
                        failure = new CheckpointException();
                    failure.addSuppressed(e);
                }
            }
            if (failure != null)
                throw failure;
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) throws RestoreException {
            RestoreException failure = null;
            for (Resource resource : snapshot()) {
                try {
                    resource.afterRestore(this);
                } catch (Exception e) {
                    if (failure == null)
                        failure = new RestoreException();
                    failure.addSuppressed(e);
                }
            }
            if (failure != null)
                throw failure;
        }
    }
}
