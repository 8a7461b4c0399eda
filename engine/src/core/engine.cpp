// Engine facade.
