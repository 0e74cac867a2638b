#ifndef INSPECTOR_CNETSNMP_H
#define INSPECTOR_CNETSNMP_H
/* net-snmp-config.h defines _GNU_SOURCE, which renames fd_set's field (fds_bits vs
 * __fds_bits) and then clashes with the other C modules. Include the system headers first so
 * that glibc's features.h is settled with the same macros everywhere. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/time.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/snmpusm.h>

/* Exported by libnetsnmp but declared in no installed header: discovers the agent's engine id
 * for a single session (the opaque handle of snmp_sess_open) and creates its USM user record;
 * 1 on success. */
int snmpv3_engineID_probe(void *slp, netsnmp_session *in_session);
#endif
