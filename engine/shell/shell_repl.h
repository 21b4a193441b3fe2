/*
** shell_repl.h — `lode --replicate nats://host:port/stream`: the shell's
** database replicated through NATS JetStream, speaking the protocol of
** lodedb/replication (docs/replication.md), so that shells and Node
** processes share one stream.  Built with libnats (Debian's libnats-dev)
** when tools/have-nats.sh finds it; without it the flag says replication is
** not available in this build.
*/
#ifndef LODE_SHELL_REPL_H
#define LODE_SHELL_REPL_H

typedef struct Shell Shell;
typedef struct ShellRepl ShellRepl;

/* Connects sh->db (a file database) to the stream named by url
** (nats://host:port[,nats://host2:port]/stream[?role=auto|primary|replica
** &id=NAME&lease=MS]).  Returns NULL after printing the error. */
ShellRepl *shell_repl_start(Shell *sh, const char *url);

/* Called on the shell's thread before and after each statement: the first
** makes the shell's connection writable or read-only as the role is now,
** the second queues the frames of what the statement committed. */
void shell_repl_before(ShellRepl *r);
void shell_repl_after(ShellRepl *r);

/* The message a replica's write gets (names the primary); NULL when r is
** not a replica now.  Valid until the next call. */
const char *shell_repl_readonly_message(ShellRepl *r);

/* Publishes what is queued (for up to two seconds), releases the lease,
** disconnects. */
void shell_repl_stop(ShellRepl *r);

#endif
