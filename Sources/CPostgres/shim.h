// libpq, PostgreSQL's C client library (Debian: libpq-dev puts it under postgresql/).
#include <libpq-fe.h>
