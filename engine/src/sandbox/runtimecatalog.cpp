// Implemented by the sandbox work (runtimecatalog.h).
