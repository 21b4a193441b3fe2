/*
** main.c — the `lode` executable: hands its command line to the shell.
** All behaviour lives in shell.c so the Node addon can run the same shell.
*/
#include "shell.h"

int main(int argc, char **argv) { return lode_shell_main(argc, argv); }
