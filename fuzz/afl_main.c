/*
 * AFL++ driver for the harnesses, used when the system has no
 * libAFLDriver: persistent mode over AFL's shared-memory test cases, or
 * the files named on the command line when run outside afl-fuzz.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifdef __AFL_FUZZ_TESTCASE_LEN
__AFL_FUZZ_INIT();
#endif

static int run_file(const char *path)
{
    static uint8_t buf[1 << 20];
    FILE *f = fopen(path, "rb");
    size_t n;
    uint8_t *copy;
    if (f == NULL) {
        perror(path);
        return 1;
    }
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    /* Exactly n bytes, so that reads past the input trip ASan. */
    copy = malloc(n > 0 ? n : 1);
    if (copy == NULL) {
        return 1;
    }
    memcpy(copy, buf, n);
    LLVMFuzzerTestOneInput(copy, n);
    free(copy);
    return 0;
}

int main(int argc, char **argv)
{
    int rc = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++) {
            rc |= run_file(argv[i]);
        }
        return rc;
    }
#ifdef __AFL_FUZZ_TESTCASE_LEN
    __AFL_INIT();
    {
        const uint8_t *buf = __AFL_FUZZ_TESTCASE_BUF;
        while (__AFL_LOOP(10000)) {
            size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
            uint8_t *copy = malloc(len > 0 ? len : 1);
            if (copy == NULL) {
                return 1;
            }
            memcpy(copy, buf, len);
            LLVMFuzzerTestOneInput(copy, len);
            free(copy);
        }
    }
#else
    {
        /* Not built by afl-clang-fast: one input from stdin. */
        static uint8_t in[1 << 20];
        size_t n = fread(in, 1, sizeof in, stdin);
        LLVMFuzzerTestOneInput(in, n);
    }
#endif
    return rc;
}
