#include "library_loader.h"
#include <dlfcn.h>
#include <stdio.h>

static void load(struct inspector_library *library) {
    /* RTLD_LOCAL: the library's symbols serve only the slots bound here. */
    void *handle = dlopen(library->soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        snprintf(library->error, sizeof library->error, "%s", dlerror());
        __atomic_store_n(&library->state, -1, __ATOMIC_RELEASE);
        return;
    }
    for (int i = 0; library->symbols[i]; i++) {
        void *symbol = dlsym(handle, library->symbols[i]);
        if (!symbol) {
            snprintf(library->error, sizeof library->error, "%s has no %s", library->soname, library->symbols[i]);
            __atomic_store_n(&library->state, -1, __ATOMIC_RELEASE);
            return;   /* the handle stays open: a library is never unloaded */
        }
        library->slots[i] = symbol;
    }
    __atomic_store_n(&library->state, 1, __ATOMIC_RELEASE);
}

int inspector_library_ready(struct inspector_library *library) {
    int state = __atomic_load_n(&library->state, __ATOMIC_ACQUIRE);
    if (state == 0) {
        pthread_mutex_lock(&library->lock);
        if (__atomic_load_n(&library->state, __ATOMIC_ACQUIRE) == 0) load(library);
        pthread_mutex_unlock(&library->lock);
        state = __atomic_load_n(&library->state, __ATOMIC_ACQUIRE);
    }
    return state == 1;
}

const char *inspector_library_error(struct inspector_library *library) {
    return inspector_library_ready(library) ? NULL : library->error;
}
