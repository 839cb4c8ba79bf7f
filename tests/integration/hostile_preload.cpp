// A library the hostile-environment tests try to inject with LD_PRELOAD and
// LD_LIBRARY_PATH. If the dynamic loader ever honoured them for our helpers,
// this would announce itself and exit 42 before main().
#include <unistd.h>

__attribute__((constructor)) static void hijack()
{
    static const char message[] = "PRELOADED\n";
    (void)!::write(2, message, sizeof message - 1);
    ::_exit(42);
}
