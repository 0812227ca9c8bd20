/* A stand-in for Windows' bcryptprimitives.dll, for running tenken.exe under
 * wine 8.0 in CI only (never shipped). Rust's standard library draws its
 * random numbers from ProcessPrng, which Windows 10 and 11 have and wine 8.0
 * lacks; this one asks advapi32's RtlGenRandom (SystemFunction036) instead.
 * Built by scripts/test-package with x86_64-w64-mingw32-gcc. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
