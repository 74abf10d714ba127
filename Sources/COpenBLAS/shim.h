// OpenBLAS's CBLAS interface. Debian installs cblas.h under an arch- and
// variant-specific folder; pkg-config "openblas" supplies that include path.
#include <cblas.h>
