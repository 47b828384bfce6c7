// What the two in-place row kernels (ck_f32_rows.c, ck_bf16_rows.c) share beside their tile code: the width of the
// activation panels for m rows, and the output of an empty product. Internal to this target.
#ifndef CK_ROW_PANELS_H
#define CK_ROW_PANELS_H

#include <stddef.h>

/// The rows of one packed activation panel for m rows: 16, 32 or 64 (the fewest tiles of the widest kernel).
static inline size_t ck_row_panel_width(size_t m) { return m <= 16 ? 16 : m <= 32 ? 32 : 64; }

/// c[i * ldc + j] = 0 for i < m and row_begin ≤ j < row_end: the product over a depth of 0.
static inline void ck_zero_output_columns(float *c, size_t ldc, size_t m, size_t row_begin, size_t row_end) {
    for (size_t i = 0; i < m; i++) {
        for (size_t j = row_begin; j < row_end; j++) c[i * ldc + j] = 0;
    }
}

#endif
