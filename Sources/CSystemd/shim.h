#ifndef INSPECTOR_CSYSTEMD_H
#define INSPECTOR_CSYSTEMD_H
#include <systemd/sd-journal.h>
#include <systemd/sd-daemon.h>
#endif
