/*
 * Stand-in for bcryptprimitives.dll, which Wine 8.0 (Debian 12) does not ship.
 * Rust's std on Windows imports ProcessPrng from it; without this DLL a Rust
 * .exe fails to start under that Wine. Used only to run tests under Wine.
 */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    /* RtlGenRandom takes a ULONG length: feed large requests in pieces. */
    while (len > 0) {
        ULONG chunk = len > 0x7fffffffu ? 0x7fffffffu : (ULONG)len;
        if (!RtlGenRandom(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
