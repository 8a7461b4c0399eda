package org.crac;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

// The global context: beforeCheckpoint runs the registered resources in the reverse order of
// their registration, afterRestore in that order, as org.crac documents. Resources are held
// weakly, as org.crac holds them: a function keeps a reference to each it registers.
public final class Core {
    private static final GlobalContext GLOBAL = new GlobalContext();

    private Core() {
    }

    public static Context<Resource> getGlobalContext() {
        return GLOBAL;
    }

    // SnapStart takes the snapshot after init, not the function: refused, as on Lambda.
    public static void checkpointRestore() throws CheckpointException, RestoreException {
        throw new UnsupportedOperationException("checkpointRestore is not supported: SnapStart takes the snapshot");
    }

    private static final class GlobalContext extends Context<Resource> {
        private final List<WeakReference<Resource>> resources = new ArrayList<>();

        @Override
        public synchronized void register(Resource resource) {
            if (resource == null)
                throw new NullPointerException("resource");
            resources.add(new WeakReference<>(resource));
        }

        private synchronized List<Resource> snapshot() {
            List<Resource> alive = new ArrayList<>();
            for (WeakReference<Resource> reference : resources) {
                Resource resource = reference.get();
                if (resource != null)
                    alive.add(resource);
            }
            return alive;
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
