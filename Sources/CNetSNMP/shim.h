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
#include <poll.h>
#include <sys/eventfd.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/snmpusm.h>

/* Exported by libnetsnmp but declared in no installed header: discovers the agent's engine id
 * for a single session (the opaque handle of snmp_sess_open) and creates its USM user record;
 * 1 on success. */
int snmpv3_engineID_probe(void *slp, netsnmp_session *in_session);

/* The engine thread's helpers over the single-session API (net-snmp's fd-set macros do not
 * import into Swift). */

/* The session's socket, or -1. */
static inline int inspect_sess_fd(void *sess) {
    netsnmp_transport *t = snmp_sess_transport(sess);
    return t ? t->sock : -1;
}

/* Reads what is waiting on the session's socket `fd` (callbacks run inside). */
static inline int inspect_sess_read_fd(void *sess, int fd) {
    netsnmp_large_fd_set set;
    netsnmp_large_fd_set_init(&set, fd + 1);
    netsnmp_large_fd_setfd(fd, &set);
    int status = snmp_sess_read2(sess, &set);
    netsnmp_large_fd_set_cleanup(&set);
    return status;
}

/* Microseconds until the session's earliest outstanding request needs retransmitting or times
 * out; -1 when it has none. */
static inline long inspect_sess_next_timeout_us(void *sess, int fd) {
    netsnmp_large_fd_set set;
    netsnmp_large_fd_set_init(&set, fd + 1);
    int fds = 0, block = 1;
    struct timeval tv = {0, 0};
    snmp_sess_select_info2_flags(sess, &fds, &set, &tv, &block, NETSNMP_SELECT_NOALARMS);
    netsnmp_large_fd_set_cleanup(&set);
    return block ? -1 : (long)tv.tv_sec * 1000000L + (long)tv.tv_usec;
}
#endif
