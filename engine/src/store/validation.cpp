// Implemented by the store work (validation.h).
