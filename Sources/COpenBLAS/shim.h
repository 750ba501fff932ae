// OpenBLAS's CBLAS interface plus its thread controls (openblas_set_num_threads).
#ifndef COPENBLAS_SHIM_H
#define COPENBLAS_SHIM_H
#include <cblas.h>
#endif
