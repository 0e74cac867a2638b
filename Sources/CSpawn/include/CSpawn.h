#ifndef INSPECTOR_CSPAWN_H
#define INSPECTOR_CSPAWN_H
#include <spawn.h>
#include <sys/socket.h>

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34), which Swift's Glibc module hides
/// behind _GNU_SOURCE: a child we may have to abandon must hold none of our descriptors.
int inspector_spawn_closefrom(posix_spawn_file_actions_t *actions, int from);

/// pipe2(fds, O_CLOEXEC), hidden the same way: a pipe that is close-on-exec from birth, so that
/// no child another thread spawns meanwhile inherits it.
int inspector_pipe_cloexec(int fds[2]);

/// accept4(fd, address, length, SOCK_CLOEXEC | SOCK_NONBLOCK), hidden the same way: a connection
/// that is close-on-exec and non-blocking from birth.
int inspector_accept_cloexec(int fd, struct sockaddr *address, socklen_t *length);

#endif
