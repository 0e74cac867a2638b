#ifndef INSPECTOR_CNETSNMP_H
#define INSPECTOR_CNETSNMP_H
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#endif
