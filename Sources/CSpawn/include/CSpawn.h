#ifndef INSPECTOR_CSPAWN_H
#define INSPECTOR_CSPAWN_H
#include <spawn.h>

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34), which Swift's Glibc module hides
/// behind _GNU_SOURCE: a child we may have to abandon must hold none of our descriptors.
int inspector_spawn_closefrom(posix_spawn_file_actions_t *actions, int from);

/// pipe2(fds, O_CLOEXEC), hidden the same way: a pipe that is close-on-exec from birth, so that
/// no child another thread spawns meanwhile inherits it.
int inspector_pipe_cloexec(int fds[2]);

#endif
