#ifndef EMBEDDING_DRIFT_COPENBLAS_SHIM_H
#define EMBEDDING_DRIFT_COPENBLAS_SHIM_H
#include <cblas.h>
// OpenBLAS extensions: thread control for benchmarks and deterministic runs.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_config(void);
#endif
