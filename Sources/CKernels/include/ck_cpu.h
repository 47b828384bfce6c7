// CPU feature queries for the hand-written kernels in this target. Every kernel that needs an instruction set
// beyond the build's baseline is compiled with a per-function target attribute and is only called after the
// matching query below returned 1, so the binary runs on any x86_64 (or arm64) machine.
#ifndef CK_CPU_H
#define CK_CPU_H

/// 1 when the CPU executes AVX2 and FMA3 instructions, else 0.
int ck_cpu_has_avx2_fma(void);

/// 1 when the CPU executes AVX-512 F/BW/VL and the AVX-512 BF16 dot-product instructions, else 0.
int ck_cpu_has_avx512_bf16(void);

#endif
