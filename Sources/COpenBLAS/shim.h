#ifndef EMBEDDING_DRIFT_COPENBLAS_SHIM_H
#define EMBEDDING_DRIFT_COPENBLAS_SHIM_H
#include <cblas.h>
// OpenBLAS extensions: thread control for benchmarks and deterministic runs.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_config(void);
char *openblas_get_corename(void);
// LAPACK (shipped inside OpenBLAS): the divide-and-conquer singular value decomposition, Fortran calling
// convention (column-major, every argument by pointer, hidden string lengths last).
#include <stddef.h>
void dgesdd_(const char *jobz, const int *m, const int *n, double *a, const int *lda, double *s, double *u,
             const int *ldu, double *vt, const int *ldvt, double *work, const int *lwork, int *iwork, int *info,
             size_t jobz_len);
#endif
