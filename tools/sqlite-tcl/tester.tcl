# Our stand-in for SQLite's test/tester.tcl: runs one of SQLite's Tcl test files (test/*.test)
# in a plain tclsh with Debian's Tcl binding (package sqlite3), so that the library the dynamic
# linker finds for libsqlite3.so.0 (Lode, or a build of SQLite) is the one under test.
#
#   tclsh tester.tcl FILE.test        run the file; one line per test, then a summary
#   tclsh tester.tcl --child          a helper process for lock_common.tcl's multi-client tests
#
# Output, one line each:
#   PASS name
#   FAIL name: expected [..] got [..]      (newlines shown as \n, long values cut)
#   FAIL name: error: MESSAGE
#   SKIP name: needs testfixture: WHAT    (the test used a C command only SQLite's testfixture has)
#   ERROR @LINE: MESSAGE                  (a command outside any test failed; the file goes on)
#   N errors out of M tests               (last; M counts PASS and FAIL, N the FAILs and ERRORs)
#   K skipped
#
# The test file is evaluated one top-level command at a time, so that a failing set-up command
# (often one that needs testfixture) costs only the tests that depend on it.

package require sqlite3

namespace eval ::tester {
  variable npass 0
  variable nfail 0
  variable nskip 0
  variable nerror 0
  variable finished 0
  variable handles {}
  variable file ""
  variable line 0
  variable maxlen 400
  variable checkpoint_before_copy 0
  variable caps
  array set caps {}
  variable here [file dirname [file normalize [info script]]]
}

# ---------------------------------------------------------------------------------------------
# Reporting

proc ::tester::oneline {s} {
  variable maxlen
  set s [string map [list \\ \\\\ \n \\n \r \\r \t \\t] $s]
  if {[string length $s] > $maxlen} { set s "[string range $s 0 $maxlen]...(cut)" }
  return $s
}

proc ::tester::emit {line} {
  puts stdout $line
  flush stdout
}

# An error raised by a command that only testfixture provides (see unknown below).
proc ::tester::needs_fixture {msg} {
  if {[string match "needs testfixture: *" $msg]} { return 1 }
  if {[string match "*needs testfixture: *" $msg]} { return 1 }
  return 0
}

proc ::tester::fixture_what {msg} {
  set i [string first "needs testfixture: " $msg]
  return [string range $msg [expr {$i + 19}] end]
}

proc ::tester::pass {name} {
  variable npass
  incr npass
  emit "PASS $name"
}

proc ::tester::fail {name why} {
  variable nfail
  incr nfail
  emit "FAIL $name: [oneline $why]"
}

proc ::tester::skip {name why} {
  variable nskip
  incr nskip
  emit "SKIP $name: [oneline $why]"
  # A loop that waits for a testfixture command to succeed would never end.
  if {$nskip > 20000} {
    emit "ERROR @$::tester::line: giving up after $nskip skipped tests"
    incr ::tester::nerror
    summary
    exit 1
  }
}

proc ::tester::toplevel_error {msg} {
  variable nerror
  variable line
  incr nerror
  if {[needs_fixture $msg]} {
    emit "ERROR @$line: needs testfixture: [oneline [fixture_what $msg]]"
  } else {
    emit "ERROR @$line: [oneline $msg]"
  }
}

proc ::tester::summary {} {
  variable npass
  variable nfail
  variable nskip
  variable nerror
  variable finished
  if {$finished} return
  set finished 1
  emit "[expr {$nfail + $nerror}] errors out of [expr {$npass + $nfail}] tests"
  emit "$nskip skipped"
}

# ---------------------------------------------------------------------------------------------
# Commands testfixture adds in C.  Those with a plain meaning over the Tcl binding are written
# here; any other unknown command is reported as needing testfixture.

rename unknown ::tester::tcl_unknown
proc unknown {args} {
  set cmd [lindex $args 0]
  # A closed connection is an ordinary error, not a missing testfixture command.
  if {[lsearch -exact $::tester::handles $cmd] >= 0} {
    return -code error "invalid command name \"$cmd\""
  }
  # Let Tcl's own library (auto_load, packages) have a go first.
  if {![catch {auto_load $cmd} ok] && $ok} {
    return [uplevel 1 $args]
  }
  return -code error -errorcode [list TESTFIXTURE $cmd] "needs testfixture: $cmd"
}

proc ::tester::fixture_only {what} {
  return -code error -errorcode [list TESTFIXTURE $what] "needs testfixture: $what"
}

# Commands that change nothing the tests can observe when run on a stock library.
foreach c {
  sqlite3_test_control_pending_byte database_never_corrupt database_may_be_corrupt extra_schema_checks
  sqlite3_fts3_may_be_corrupt sqlite3_fts5_may_be_corrupt autoinstall_test_functions sqlite3_memdebug_settitle
  sqlite3_config_memstatus db_enter db_leave sqlite3_memdebug_backtrace vdbe_coverage sqlite3_clear_tsd_memdebug
  expand_all_sql reset_prng_state breakpoint sqlite3_reset_auto_extension unregister_devsim unregister_jt_vfs
  unregister_demovfs show_memstats vfs_unlink_test
} {
  proc $c {args} { return "" }
}
proc sqlite3_soft_heap_limit64 {args} { return 0 }
proc sqlite3_soft_heap_limit {args} { return 0 }
proc sqlite3_hard_heap_limit64 {args} { return 0 }
proc sqlite3_memory_used {args} { return 0 }
proc sqlite3_memory_highwater {args} { return 0 }
proc working_64bit_int {} { return 1 }
proc clang_sanitize_address {} { return 0 }
# dbstat is built into the libraries under test.
proc register_dbstat_vtab {db} { return "" }
proc sqlite3_sleep {ms} { after $ms; return $ms }
# SQLite's log callback is installed through sqlite3_config, which the binding does not reach.
proc test_sqlite3_log {args} { return "" }
proc save_prng_state {} {}
proc restore_prng_state {} {}

proc ::tester::dbarg {db} {
  if {[info commands $db] eq ""} { fixture_only "connection pointer $db" }
  return $db
}
# The binding cannot ask whether a transaction is open; BEGIN fails exactly when one is.
proc sqlite3_get_autocommit {db} {
  set db [::tester::dbarg $db]
  if {[catch {$db eval BEGIN} msg]} {
    if {[string match "*within a transaction*" $msg]} { return 0 }
    ::tester::fixture_only "sqlite3_get_autocommit ($msg)"
  }
  $db eval ROLLBACK
  return 1
}
proc sqlite3_changes {db} { [::tester::dbarg $db] changes }
proc sqlite3_total_changes {db} { [::tester::dbarg $db] total_changes }
proc sqlite3_last_insert_rowid {db} { [::tester::dbarg $db] last_insert_rowid }
proc sqlite3_interrupt {db} { [::tester::dbarg $db] interrupt }
proc sqlite3_busy_timeout {db ms} { [::tester::dbarg $db] timeout $ms }
proc sqlite3_close {db} { [::tester::dbarg $db] close }
proc sqlite3_libversion {} { ::tester::optdb eval {SELECT sqlite_version()} }
proc sqlite3_sourceid {} { ::tester::optdb eval {SELECT sqlite_source_id()} }
proc sqlite3_complete {sql} { ::tester::optdb complete $sql }
proc sqlite3_connection_pointer {db} {
  [::tester::dbarg $db] eval {SELECT 1}
  return $db
}

# testfixture's sqlite3_mprintf_* commands call sqlite3_mprintf with C arguments; here the SQL printf()
# of the library under test formats the same values.  A C int read by a conversion without an l size
# is 32 bits wide: signed for d and i, unsigned for the others (x, o, u, c), so such values are cut
# to 32 bits first; '*' widths and precisions consume arguments as C's varargs do.
proc ::tester::printf_kinds {fmt} {
  set kinds {}
  foreach {all star prec size conv} [regexp -all -inline {%[-+ 0#!,]*(\*?)[0-9]*(?:\.(\*|[0-9]*))?(ll|l)?([a-zA-Z%])} $fmt] {
    if {$conv eq "%"} continue
    if {[string first * $all] >= 0} {
      foreach c [split [regsub -all {[^*]} $all ""] ""] { lappend kinds star }
    }
    if {$size ne ""} { lappend kinds long } elseif {$conv in {d i}} { lappend kinds int } else { lappend kinds uint }
  }
  return $kinds
}
proc ::tester::mprintf {fmt kinds args} {
  set vals {}
  set sql "SELECT printf(\$fmt"
  set i 0
  foreach v $args {
    set kind [lindex $kinds $i]
    if {[string is wideinteger -strict $v]} {
      if {$kind eq "uint"} { set v [expr {$v & 0xffffffff}] }
      if {$kind in {int star}} { set v [expr {(($v & 0xffffffff) ^ 0x80000000) - 0x80000000}] }
      set v [expr {wide($v)}]
    }
    set a$i $v
    append sql ", \$a$i"
    incr i
  }
  append sql ")"
  ::tester::optdb onecolumn $sql
}
proc sqlite3_mprintf_int {fmt a b c} {
  ::tester::mprintf $fmt [::tester::printf_kinds $fmt] [expr {int($a)}] [expr {int($b)}] [expr {int($c)}]
}
proc sqlite3_mprintf_int64 {fmt a b c} {
  ::tester::mprintf $fmt {long long long} [expr {wide($a)}] [expr {wide($b)}] [expr {wide($c)}]
}
proc sqlite3_mprintf_long {fmt a b c} { sqlite3_mprintf_int64 $fmt $a $b $c }
proc sqlite3_mprintf_str {fmt a b {str {}}} {
  set kinds [::tester::printf_kinds $fmt]
  if {[llength [info level 0]] < 5} {
    return [::tester::optdb onecolumn {SELECT printf($fmt, $a, $b, NULL)}]
  }
  ::tester::mprintf $fmt $kinds [expr {int($a)}] [expr {int($b)}] $str
}
proc sqlite3_mprintf_stronly {fmt str} { ::tester::optdb onecolumn {SELECT printf($fmt, $str)} }
proc sqlite3_mprintf_double {fmt a b r} {
  set a [expr {int($a)}]
  set b [expr {int($b)}]
  set r [expr {double($r)}]
  ::tester::optdb onecolumn {SELECT printf($fmt, $a, $b, $r)}
}
proc sqlite3_mprintf_scaled {fmt a b} {
  set r [expr {double($a) * double($b)}]
  ::tester::optdb onecolumn {SELECT printf($fmt, $r)}
}
proc sqlite3_mprintf_hexdouble {fmt hex} {
  binary scan [binary format W [expr {"0x$hex"}]] Q r
  ::tester::optdb onecolumn {SELECT printf($fmt, $r)}
}

# sqlite3_db_config DB SETTING ?VALUE?: the binding's "config" method under the names it uses.
proc sqlite3_db_config {db setting args} {
  set s [string toupper $setting]
  foreach p {SQLITE_ DBCONFIG_ ENABLE_} {
    if {[string match $p* $s]} { set s [string range $s [string length $p] end] }
  }
  set map {FKEY enable_fkey TRIGGER enable_trigger VIEW enable_view QPSG enable_qpsg RESET_DB reset_database
    RESET_DATABASE reset_database LOAD_EXTENSION load_extension}
  if {[dict exists $map $s]} { set name [dict get $map $s] } else { set name [string tolower $s] }
  if {[catch {[::tester::dbarg $db] config $name {*}$args} res]} {
    ::tester::fixture_only "sqlite3_db_config $setting"
  }
  if {[llength $res] == 2} { return [lindex $res 1] }
  return $res
}

# File bytes as hexadecimal, as testfixture's hexio commands read and write them.
proc hexio_read {file offset count} {
  set fd [open $file rb]
  seek $fd $offset
  set data [read $fd $count]
  close $fd
  binary scan $data H* hex
  return [string toupper $hex]
}
proc hexio_write {file offset hex} {
  set data [binary format H* $hex]
  set fd [open $file r+b]
  seek $fd $offset
  puts -nonewline $fd $data
  close $fd
  return [string length $data]
}
proc hexio_get_int {hex} {
  set n [expr {[string length $hex] / 2}]
  set data [binary format H* $hex]
  switch $n {
    1 { binary scan $data c v; return $v }
    2 { binary scan $data S v; return $v }
    4 { binary scan $data I v; return $v }
    default {
      binary scan [string range "\0\0\0\0$data" end-3 end] I v
      return $v
    }
  }
}
proc hexio_render_int16 {v} { binary scan [binary format S $v] H* h; string toupper $h }
proc hexio_render_int32 {v} { binary scan [binary format I $v] H* h; string toupper $h }

# md5 of a string's UTF-8 bytes, in lower-case hexadecimal (tcllib's md5, when installed).
proc md5 {text} {
  if {[catch {package require md5 2}]} { ::tester::fixture_only md5 }
  return [string tolower [::md5::md5 -hex [encoding convertto utf-8 $text]]]
}
proc md5file {file} {
  if {[catch {package require md5 2}]} { ::tester::fixture_only md5file }
  return [string tolower [::md5::md5 -hex -file $file]]
}

# ---------------------------------------------------------------------------------------------
# Opening connections.  As testfixture's tester does, each new connection gets a statement cache
# of 3 so that tests see statements re-prepared the way they expect.

rename sqlite3 ::tester::sqlite3_real
proc sqlite3 {args} {
  if {[llength $args] >= 2 && [string index [lindex $args 0] 0] ne "-"} {
    set name [lindex $args 0]
    set res [uplevel 1 [list ::tester::sqlite3_real {*}$args]]
    if {[lsearch -exact $::tester::handles $name] < 0} { lappend ::tester::handles $name }
    catch {uplevel 1 [list $name cache size 3]}
    catch {uplevel 1 [list $name function randstr ::tester::randstr]}
    # testfixture is built with SQLITE_DEFAULT_PAGE_SIZE=1024 and many expected results (dbstat,
    # file sizes, page counts) assume it; a new database gets that page size, an old one keeps its.
    catch {uplevel 1 [list $name eval {PRAGMA page_size = 1024}]}
    return $res
  }
  uplevel 1 [list ::tester::sqlite3_real {*}$args]
}
# randstr(MIN, MAX): a string of MIN to MAX printable characters, as testfixture's SQL function.
proc ::tester::randstr {lo hi} {
  set chars "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-!,:*^+=_|?/<> "
  set n [expr {$lo + int(rand() * ($hi - $lo + 1))}]
  set s ""
  for {set i 0} {$i < $n} {incr i} {
    append s [string index $chars [expr {int(rand() * [string length $chars])}]]
  }
  return $s
}
proc sqlite_orig {args} { uplevel 1 [list ::tester::sqlite3_real {*}$args] }

# ---------------------------------------------------------------------------------------------
# Capabilities (ifcapable).  A feature that a default build has is on unless the library reports
# the matching OMIT_ option; an optional one is on only when it reports the ENABLE_ (or other)
# option; anything not listed is off, as are features that need testfixture's own machinery.

::tester::sqlite3_real ::tester::optdb :memory:

proc ::tester::opt_used {opt} {
  optdb eval {SELECT sqlite_compileoption_used($opt)}
}

proc ::tester::init_caps {} {
  variable caps
  # feature -> the OMIT_ option that removes it
  set omit {
    altertable ALTERTABLE analyze ANALYZE attach ATTACH auth AUTHORIZATION autoinc AUTOINCREMENT
    autoindex AUTOMATIC_INDEX autoreset AUTORESET autovacuum AUTOVACUUM between_opt BETWEEN_OPTIMIZATION
    bloblit BLOB_LITERAL builtin_test BUILTIN_TEST cast CAST check CHECK
    compileoption_diags COMPILEOPTION_DIAGS complete COMPLETE compound COMPOUND_SELECT
    conflict CONFLICT_CLAUSE cte CTE datetime DATETIME_FUNCS decltype DECLTYPE deprecated DEPRECATED
    deserialize DESERIALIZE diskio DISKIO explain EXPLAIN floatingpoint FLOATING_POINT
    foreignkey FOREIGN_KEY gettable GET_TABLE incrblob INCRBLOB integrityck INTEGRITY_CHECK json1 JSON
    like_opt LIKE_OPTIMIZATION load_ext LOAD_EXTENSION localtime LOCALTIME lookaside LOOKASIDE
    memorydb MEMORYDB or_opt OR_OPTIMIZATION pager_pragmas PAGER_PRAGMAS pragma PRAGMA
    progress PROGRESS_CALLBACK reindex REINDEX schema_pragmas SCHEMA_PRAGMAS
    schema_version SCHEMA_VERSION_PRAGMAS shared_cache SHARED_CACHE subquery SUBQUERY tclvar TCL_VARIABLE
    tempdb TEMPDB trace TRACE trigger TRIGGER truncate_opt TRUNCATE_OPTIMIZATION utf16 UTF16
    vacuum VACUUM view VIEW vtab VIRTUALTABLE wal WAL windowfunc WINDOWFUNC wsd WSD
    mergesort MERGE_SORT mutex MUTEX dirsync DIRSYNC lfs LFS curdir CURDIR mmap MMAP
    pagecache_overflow_stats PAGECACHE_OVERFLOW_STATS
  }
  foreach {cap o} $omit {
    set caps($cap) [expr {![opt_used OMIT_$o]}]
  }
  # feature -> the option that adds it
  set enable {
    fts3 ENABLE_FTS3 fts3_unicode ENABLE_FTS3 fts4_deferred ENABLE_FTS3 fts5 ENABLE_FTS5
    geopoly ENABLE_GEOPOLY rtree ENABLE_RTREE rtree_int_only RTREE_INT_ONLY stat4 ENABLE_STAT4
    mathlib ENABLE_MATH_FUNCTIONS preupdate ENABLE_PREUPDATE_HOOK session ENABLE_SESSION
    columnmetadata ENABLE_COLUMN_METADATA update_delete_limit ENABLE_UPDATE_DELETE_LIMIT
    unlock_notify ENABLE_UNLOCK_NOTIFY snapshot ENABLE_SNAPSHOT scanstatus ENABLE_STMT_SCANSTATUS
    normalize ENABLE_NORMALIZE offset_sql_func ENABLE_OFFSET_SQL_FUNC stmtvtab ENABLE_STMTVTAB
    rbu ENABLE_RBU hiddencolumns ENABLE_HIDDEN_COLUMNS icu ENABLE_ICU icu_collations ENABLE_ICU_COLLATIONS
    memorymanage ENABLE_MEMORY_MANAGEMENT secure_delete SECURE_DELETE fast_secure_delete FAST_SECURE_DELETE
    cursorhints ENABLE_CURSOR_HINTS null_trim ENABLE_NULL_TRIM api_armor ENABLE_API_ARMOR
    atomicwrite ENABLE_ATOMIC_WRITE 8_3_names ENABLE_8_3_NAMES casesensitivelike CASE_SENSITIVE_LIKE
    direct_read DIRECT_OVERFLOW_READ debug DEBUG memdebug MEMDEBUG rowid32 32BIT_ROWID sqllog ENABLE_SQLLOG
    userauth USER_AUTHENTICATION uri_00_error ENABLE_URI_00_ERROR dbstat_vtab ENABLE_DBSTAT_VTAB
    dbpage_vtab ENABLE_DBPAGE_VTAB
  }
  foreach {cap o} $enable {
    set caps($cap) [opt_used $o]
  }
  if {[opt_used OMIT_SUBQUERY]} { set caps(update_delete_limit) 0 }
  if {!$caps(preupdate)} { set caps(session) 0 }
  set caps(like_match_blobs) [expr {![opt_used LIKE_DOESNT_MATCH_BLOBS]}]
  set ts 1
  optdb eval {PRAGMA compile_options} {
    if {[regexp {^THREADSAFE=(\d+)$} $compile_options -> v]} { set ts $v }
  }
  set caps(threadsafe) [expr {$ts > 0}]
  set caps(threadsafe1) [expr {$ts == 1}]
  set caps(threadsafe2) [expr {$ts == 2}]
  # Needs testfixture's crash-simulating VFS or its own allocators.
  foreach cap {crashtest mem3 mem5 malloc_usable_size win32malloc mutex_noop lock_proxy_pragmas
    prefer_proxy_locking multiplex_ext_overwrite yytrackmaxstackdepth legacyformat has_codec} {
    set caps($cap) 0
  }
  set caps(long_double) 1
  set caps(configslower) 1.0
  set caps(default_autovacuum) 0
  set caps(default_ckptfullfsync) 0
  set caps(worker_threads) 8
  # Test files read the array directly too.
  array set ::sqlite_options [array get caps]
}

proc ::tester::cap {name} {
  variable caps
  if {[info exists caps($name)]} { return $caps($name) }
  return 0
}

# "fts3||!trigger" -> an expression over [::tester::cap NAME]
proc ::tester::cap_expr {e} {
  regsub -all {[A-Za-z0-9_]+} $e {[::tester::cap &]} out
  return $out
}

proc capable {e} {
  expr [::tester::cap_expr $e]
}

proc ifcapable {e code {else ""} {elsecode ""}} {
  if {[expr [::tester::cap_expr $e]]} {
    set rc [catch {uplevel 1 $code} r opts]
  } else {
    set rc [catch {uplevel 1 $elsecode} r opts]
  }
  return -options $opts -code $rc $r
}

# Compile-time limits and defaults that testfixture exposes as global variables.
proc ::tester::init_limits {} {
  set d {
    MAX_LENGTH 1000000000 MAX_COLUMN 2000 MAX_SQL_LENGTH 1000000000 MAX_EXPR_DEPTH 1000
    MAX_COMPOUND_SELECT 500 MAX_VDBE_OP 250000000 MAX_FUNCTION_ARG 127 MAX_VARIABLE_NUMBER 32766
    MAX_PAGE_SIZE 65536 MAX_PAGE_COUNT 1073741823 MAX_LIKE_PATTERN_LENGTH 50000 MAX_TRIGGER_DEPTH 1000
    DEFAULT_CACHE_SIZE -2000 DEFAULT_PAGE_SIZE 4096 DEFAULT_FILE_FORMAT 4 DEFAULT_SYNCHRONOUS 2
    DEFAULT_WAL_SYNCHRONOUS 2 MAX_ATTACHED 10 MAX_DEFAULT_PAGE_SIZE 8192 MAX_WORKER_THREADS 8
  }
  foreach {k v} $d { set ::SQLITE_$k $v }
  set ::TEMP_STORE 1
  optdb eval {PRAGMA compile_options} {
    if {[regexp {^([A-Z_]+)=(-?\d+)$} $compile_options -> k v]} {
      if {$k eq "TEMP_STORE"} { set ::TEMP_STORE $v } else { set ::SQLITE_$k $v }
    }
  }
}

::tester::init_caps
::tester::init_limits

set tcl_precision 15
set ::sqlite_pending_byte 0x40000000
set ::sqlite_fts3_enable_parentheses [::tester::opt_used ENABLE_FTS3_PARENTHESIS]
set ::AUTOVACUUM 0
set ::G(isquick) 0
array set ::cmdlinearg {soft-heap-limit 0 hard-heap-limit 0 maxerror 100000 verbose 0 output ""}
set ::TC(count) 0
set ::TC(errors) 0
set ::TC(fail_list) {}
set ::TC(omit_list) {}
set ::TC(warn_list) {}

# ---------------------------------------------------------------------------------------------
# Files

proc forcedelete {args} {
  foreach f $args { file delete -force -- $f }
}
proc delete_file {args} {
  foreach f $args { file delete -- $f }
}
# Lode keeps every database in WAL mode, so a file copied while `db` is open
# (SQLite's tests assume a rollback journal, where the file is whole once a
# transaction commits) would lack the pages still in its -wal.  The corruption
# tests, which copy a database to damage the copy, checkpoint it first; no
# other file does, so tests that copy a WAL on purpose keep their meaning.
proc forcecopy {from to} {
  if {$::tester::checkpoint_before_copy && [file exists $from-wal] && [info commands db] ne ""} {
    catch {db eval {PRAGMA wal_checkpoint(TRUNCATE)}}
  }
  file copy -force -- $from $to
}
proc copy_file {from to} { file copy -- $from $to }
proc get_pwd {} { return [pwd] }
proc test_pwd {args} { return [pwd] }
proc is_relative_file {f} { expr {[file pathtype $f] eq "relative"} }
proc getFileRetries {} { return 0 }
proc getFileRetryDelay {} { return 0 }
proc filepath_normalize {p} { return $p }

proc reset_db {} {
  catch {db close}
  forcedelete test.db test.db-journal test.db-wal test.db-shm
  sqlite3 db ./test.db
  set ::DB db
  if {[info exists ::SETUP_SQL]} { db eval $::SETUP_SQL }
}

proc db_save {} {
  foreach f [glob -nocomplain sv_test.db*] { forcedelete $f }
  foreach f [glob -nocomplain test.db*] { forcecopy $f sv_$f }
}
proc db_save_and_close {} {
  db_save
  catch {db close}
  return ""
}
proc db_restore {} {
  foreach f [glob -nocomplain test.db*] { forcedelete $f }
  foreach f [glob -nocomplain sv_test.db*] { forcecopy $f [string range $f 3 end] }
}
proc db_restore_and_reopen {{dbfile test.db}} {
  catch {db close}
  db_restore
  sqlite3 db $dbfile
}
proc db_delete_and_reopen {{dbfile test.db}} {
  catch {db close}
  foreach f [glob -nocomplain test.db*] { forcedelete $f }
  sqlite3 db $dbfile
}
proc do_not_use_codec {} {
  set ::do_not_use_codec 1
  reset_db
}
proc nonzero_reserved_bytes {} { return 0 }

# ---------------------------------------------------------------------------------------------
# Counters and output helpers the test files call

proc set_test_counter {counter args} {
  switch -- $counter {
    errors {
      if {[llength $args]} { set ::tester::nfail [lindex $args 0] }
      return [expr {$::tester::nfail + $::tester::nerror}]
    }
    count {
      if {[llength $args]} { return [lindex $args 0] }
      return [expr {$::tester::npass + $::tester::nfail}]
    }
    default {
      if {[llength $args]} { set ::TC($counter) [lindex $args 0] }
      return $::TC($counter)
    }
  }
}
proc incr_ntest {} {}
proc fail_test {name} { ::tester::fail $name "marked failed by the test file" }
proc omit_test {name reason {append 1}} { ::tester::skip $name "omitted: $reason" }
proc warning {msg {append 1}} { ::tester::emit "WARNING [::tester::oneline $msg]" }
proc verbose {} { return 0 }
proc output1 {args} {}
proc output2 {args} {
  if {[lindex $args 0] eq "-nonewline"} { set args [lrange $args 1 end] }
  ::tester::emit "# [::tester::oneline [lindex $args end]]"
}
proc output2_if_no_verbose {args} {}
proc permutation {} { return "" }
proc presql {} { return "" }
proc isquick {} { return 0 }
proc wal_is_wal_mode {} { return 0 }
proc wal_set_journal_mode {{db db}} {}
proc wal_check_journal_mode {testname {db db}} {}
proc wal_is_capable {} { expr {[::tester::cap wal]} }
proc dumpbytes {s} {
  set r {}
  foreach c [split $s ""] { lappend r [format %02X [scan $c %c]] }
  join $r " "
}

# Other binaries (sqlite3_analyzer, sqldiff) are not part of what this harness tests.
proc test_find_binary {nm} {
  finish_test
  return ""
}
# The shell of the engine under test (run.sh sets LODE_TCL_CLI: Lode's own shell, or Debian's sqlite3
# on the library under test); without one the file is skipped.
proc ::tester::cli {} {
  if {[info exists ::env(LODE_TCL_CLI)] && [file executable $::env(LODE_TCL_CLI)]} { return $::env(LODE_TCL_CLI) }
  ::tester::skip "[file tail $::tester::file]" "needs the sqlite3 shell binary"
  finish_test
  return ""
}
# The shell run on database DB with CMD as its standard input: {exit-status-is-error output}.
# catchcmdex keeps every byte (no translation, trailing newline kept).
proc catchcmd {db {cmd ""}} {
  set f [open cmds.txt w]
  puts $f $cmd
  close $f
  set rc [catch {exec $::CLI {*}$db < cmds.txt} msg]
  list $rc $msg
}
proc catchcmdex {db {cmd ""}} {
  set f [open cmds.txt w]
  fconfigure $f -translation binary
  puts -nonewline $f $cmd
  close $f
  set saved {}
  foreach chan {stdin stdout stderr} {
    catch { lappend saved $chan [fconfigure $chan -translation] }
    catch { fconfigure $chan -translation binary }
  }
  set rc [catch {exec -keepnewline -- $::CLI {*}$db < cmds.txt} msg]
  foreach {chan tr} $saved { catch { fconfigure $chan -translation $tr } }
  list $rc $msg
}
proc test_find_cli {} {
  set prog [::tester::cli]
  if {$prog eq ""} { return -code return }
  return $prog
}
proc test_cli_invocation {} {
  set prog [::tester::cli]
  if {$prog eq ""} { return -code return }
  return $prog
}
proc test_find_sqldiff {} {
  ::tester::skip "[file tail $::tester::file]" "needs the sqldiff binary"
  finish_test
  return -code return
}

# ---------------------------------------------------------------------------------------------
# Running SQL

proc execsql {sql {db db}} {
  uplevel 1 [list $db eval $sql]
}
proc execsql_timed {sql {db db}} {
  uplevel 1 [list $db eval $sql]
}
proc catchsql {sql {db db}} {
  set rc [catch {uplevel 1 [list $db eval $sql]} msg]
  list $rc $msg
}
proc execsql2 {sql} {
  set out {}
  db eval $sql row {
    foreach col $row(*) { lappend out $col $row($col) }
  }
  return $out
}
proc memdbsql {sql} {
  sqlite3 memdb :memory:
  set r [memdb eval $sql]
  memdb close
  return $r
}
proc explain {sql {db db}} {
  $db eval "EXPLAIN $sql" {} {
    ::tester::emit "# [format {%-4d %-12.12s %-6d %-6d %-6d %s} $addr $opcode $p1 $p2 $p3 $p4]"
  }
}
proc explain_i {sql {db db}} { explain $sql $db }
proc explain_no_trace {sql} { lrange [db eval "EXPLAIN $sql"] 7 end }
proc execsql_pp {sql {db db}} {
  $db eval $sql row {
    set line {}
    foreach c $row(*) { lappend line $row($c) }
    ::tester::emit "# $line"
  }
}
proc integrity_check {name {db db}} {
  ifcapable integrityck {
    do_test $name [list execsql {PRAGMA integrity_check} $db] {ok}
  }
}
proc delete_all_data {} {
  db eval {SELECT tbl_name AS t FROM sqlite_master WHERE type = 'table'} {
    db eval "DELETE FROM '[string map {' ''} $t]'"
  }
}
proc drop_all_tables {{db db}} {
  set fk [$db one {PRAGMA foreign_keys}]
  $db eval {PRAGMA foreign_keys = OFF}
  foreach {idx name file} [$db eval {PRAGMA database_list}] {
    if {$idx == 1} { set schema sqlite_temp_master } else { set schema "\"$name\".sqlite_master" }
    foreach {t type} [$db eval "SELECT name, type FROM $schema
        WHERE type IN('table', 'view') AND name NOT LIKE 'sqliteX_%' ESCAPE 'X'"] {
      $db eval "DROP $type \"$t\""
    }
  }
  $db eval "PRAGMA foreign_keys = $fk"
}
proc drop_all_indexes {{db db}} {
  foreach idx [$db eval {SELECT name FROM sqlite_master WHERE type='index' AND sql LIKE 'create%'}] {
    $db eval "DROP INDEX $idx"
  }
}
# Checksums of a database's content (the same text testfixture hashes, so equal content gives
# equal sums on any engine).
proc cksum {{db db}} {
  set txt [$db eval {SELECT name, type, sql FROM sqlite_master ORDER BY name}]\n
  foreach t [$db eval {SELECT name FROM sqlite_master WHERE type='table' ORDER BY name}] {
    append txt [$db eval "SELECT * FROM $t"]\n
  }
  foreach p {default_synchronous default_cache_size} {
    append txt $p-[$db eval "PRAGMA $p"]\n
  }
  return [string length $txt]-[md5 $txt]
}
proc allcksum {{db db}} {
  set txt {}
  foreach t [$db eval {
    SELECT name FROM sqlite_master WHERE type = 'table' UNION
    SELECT name FROM sqlite_temp_master WHERE type = 'table' UNION
    SELECT 'sqlite_master' UNION SELECT 'sqlite_temp_master' ORDER BY 1
  }] {
    append txt [$db eval "SELECT * FROM $t"]
  }
  append txt default_cache_size-[$db eval {PRAGMA default_cache_size}]\n
  return [md5 $txt]
}
proc dbcksum {db dbname} {
  if {$dbname eq "temp"} { set m sqlite_temp_master } else { set m $dbname.sqlite_master }
  set txt [$db eval "SELECT * FROM $m"]\n
  foreach t [$db eval "SELECT name FROM $m WHERE type='table'"] {
    append txt [$db eval "SELECT * FROM $dbname.$t"]\n
  }
  return [md5 $txt]
}

# ---------------------------------------------------------------------------------------------
# Tests

proc fix_testname {varname} {
  upvar 1 $varname n
  if {[info exists ::testprefix] && [string is digit [string index $n 0]]} {
    set n "${::testprefix}-$n"
  }
}

proc normalize_list {L} {
  set out {}
  foreach x $L { lappend out $x }
  return $out
}

# Does RESULT satisfy EXPECTED?  EXPECTED is compared as a string, except:
#   /RE/  ~/RE/  a regular expression that must (not) match; "#" in it stands for a number,
#                and one starting with "*" is a glob instead
#   #/A B../     numbers, each within 10% of the one expected, or in a range lo..hi
#   *GLOB*  ~*GLOB*  a glob that must (not) match
proc ::tester::matches {expected result} {
  if {[regexp {^[~#]?/.*/$} $expected]} {
    set neg [expr {[string index $expected 0] eq "~"}]
    if {[string index $expected 0] eq "#"} {
      set want [string range $expected 2 end-1]
      if {[llength $result] != [llength $want]} { return 0 }
      foreach got $result w $want {
        if {[regexp {^(-?\d+)\.\.(-?\d+)$} $w -> lo hi]} {
          if {!($got + 0 >= $lo && $got + 0 <= $hi)} { return 0 }
        } elseif {!($got + 0 >= 0.9 * $w && $got + 0 <= 1.1 * $w)} {
          return 0
        }
      }
      return 1
    }
    set pat [string range $expected [expr {$neg ? 2 : 1}] end-1]
    if {[string index $pat 0] eq "*"} {
      set ok [string match $pat $result]
    } else {
      set ok [regexp [string map {# {[-0-9.]+}} $pat] $result]
    }
    return [expr {$neg ? !$ok : $ok}]
  }
  if {[regexp {^~?\*.*\*$} $expected]} {
    if {[string index $expected 0] eq "~"} {
      return [expr {![string match [string range $expected 1 end] $result]}]
    }
    return [string match $expected $result]
  }
  return [expr {$result eq $expected}]
}

proc do_test {name cmd expected} {
  fix_testname name
  if {[catch {uplevel #0 "$cmd;\n"} result]} {
    if {[::tester::needs_fixture $result]} {
      ::tester::skip $name "needs testfixture: [::tester::fixture_what $result]"
    } else {
      ::tester::fail $name "error: $result"
    }
  } elseif {[::tester::matches $expected $result]} {
    ::tester::pass $name
  } else {
    ::tester::fail $name "expected \[$expected\] got \[$result\]"
  }
  return ""
}

proc do_execsql_test {args} {
  set db db
  if {[lindex $args 0] eq "-db"} {
    set db [lindex $args 1]
    set args [lrange $args 2 end]
  }
  switch [llength $args] {
    2 { lassign $args name sql; set res "" }
    3 { lassign $args name sql res; if {[llength $res] == 0} { set res "" } }
    default { error "wrong # args: should be \"do_execsql_test ?-db DB? testname sql ?result?\"" }
  }
  fix_testname name
  uplevel 1 [list do_test $name [list execsql $sql $db] [list {*}$res]]
}

proc do_catchsql_test {name sql res} {
  fix_testname name
  uplevel 1 [list do_test $name [list catchsql $sql] $res]
}

proc do_timed_execsql_test {name sql {res {}}} {
  fix_testname name
  uplevel 1 [list do_test $name [list execsql $sql] [list {*}$res]]
}

proc realnum_normalize {r} {
  string map {1.#INF inf Inf inf .0e e} [regsub -all {(e[+-])0+} $r {\1}]
}
proc do_realnum_test {name cmd expected} {
  uplevel 1 [list do_test $name "realnum_normalize \[ $cmd \]" [realnum_normalize $expected]]
}
proc do_filepath_test {name cmd expected} {
  uplevel 1 [list do_test $name $cmd $expected]
}

# EXPLAIN QUERY PLAN as an indented tree: a "QUERY PLAN" heading, then each row under its
# parent with "|--" (or "`--" for the last child) and "|  " continuing an open branch.
# Numbers that differ from run to run (subquery ids, pointers) are masked.
proc query_plan_graph {sql} {
  set kids(0) {}
  db eval "EXPLAIN QUERY PLAN $sql" {
    set text($id) $detail
    lappend kids($parent) $id
  }
  set out "\n  QUERY PLAN\n"
  append out [::tester::plan_rows "  " 0 text kids]
  regsub -all { 0x[A-F0-9]+\y} $out { xxxxxx} out
  regsub -all {(MATERIALIZE|CO-ROUTINE|SUBQUERY) \d+\y} $out {\1 xxxxxx} out
  regsub -all {\((join|subquery)-\d+\)} $out {(\1-xxxxxx)} out
  return $out
}
proc ::tester::plan_rows {indent parent textvar kidsvar} {
  upvar 1 $textvar text $kidsvar kids
  set out ""
  if {![info exists kids($parent)]} { return "" }
  set ids $kids($parent)
  set last [expr {[llength $ids] - 1}]
  foreach id $ids i [::tester::iota [llength $ids]] {
    if {$i == $last} { set here "`--"; set more "   " } else { set here "|--"; set more "|  " }
    append out "$indent$here$text($id)\n"
    append out [plan_rows "$indent$more" $id text kids]
  }
  return $out
}
proc ::tester::iota {n} {
  set l {}
  for {set i 0} {$i < $n} {incr i} { lappend l $i }
  return $l
}

proc do_eqp_test {name sql res} {
  if {[regexp {^\s+QUERY PLAN\n} $res]} {
    uplevel 1 [list do_test $name [list query_plan_graph $sql] $res]
  } else {
    if {[string index $res 0] ne "/"} { set res "/*$res*/" }
    uplevel 1 [list do_execsql_test $name "EXPLAIN QUERY PLAN $sql" $res]
  }
}

# do_select_tests PREFIX ?-query SQL? ?-tclquery TCL? ?-errorformat FMT? ?-repair TCL? ?-count? LIST
# LIST holds triples: test number, SQL, expected result.
proc do_select_tests {prefix args} {
  set list [lindex $args end]
  set errfmt ""
  set count 0
  set tclquery ""
  set repair ""
  set sw [lrange $args 0 end-1]
  for {set i 0} {$i < [llength $sw]} {incr i} {
    set s [lindex $sw $i]
    switch -glob -- $s {
      -q* { set tclquery [list execsql [lindex $sw [incr i]]] }
      -t* { set tclquery [lindex $sw [incr i]] }
      -e* { set errfmt [lindex $sw [incr i]] }
      -r* { set repair [lindex $sw [incr i]] }
      -c* { set count 1 }
      default { error "unknown switch: $s" }
    }
  }
  if {[llength $list] % 3 || [llength $list] == 0} {
    error "SELECT test list contains [llength $list] elements"
  }
  uplevel 1 $repair
  foreach {tn sql res} $list {
    if {$tclquery ne ""} {
      execsql $sql
      uplevel 1 [list do_test $prefix.$tn $tclquery [list {*}$res]]
    } elseif {$count} {
      set n 0
      db eval $sql { incr n }
      uplevel 1 [list do_test $prefix.$tn [list set {} $n] $res]
    } elseif {$errfmt eq ""} {
      uplevel 1 [list do_execsql_test $prefix.$tn $sql [list {*}$res]]
    } else {
      set r [list 1 [string trim [format $errfmt {*}$res]]]
      uplevel 1 [list do_catchsql_test $prefix.$tn $sql $r]
    }
    uplevel 1 $repair
  }
}

# Timing runs (speed*.test): the SQL runs, the time is printed as a comment.
proc speed_trial_init {name} { set ::tester::speed_total 0 }
proc speed_trial {name numstmt units sql} {
  set us [lindex [time {db eval $sql}] 0]
  ::tester::emit "# $name: $us us"
}
proc speed_trial_tcl {name numstmt units script} {
  set us [lindex [time {uplevel #0 $script}] 0]
  ::tester::emit "# $name: $us us"
}
proc speed_trial_summary {name} {}

# ---------------------------------------------------------------------------------------------
# Fault injection, crash simulation and the like need testfixture's instrumented library: each
# such test is reported as skipped under its own name.

proc do_faultsim_test {name args} {
  fix_testname name
  ::tester::skip $name "needs testfixture: fault injection"
}
proc do_malloc_test {tn args} {
  if {[string is integer [string index $tn 0]]} { set tn malloc-$tn }
  ::tester::skip $tn "needs testfixture: malloc fault injection"
}
proc do_ioerr_test {name args} {
  ::tester::skip $name "needs testfixture: I/O error injection"
}
proc crashsql {args} { ::tester::fixture_only "crash simulation" }
proc do_write_test {name args} { ::tester::skip $name "needs testfixture: malloc fault injection" }
proc do_select_test {name args} { ::tester::skip $name "needs testfixture: malloc fault injection" }
proc do_restart_select_test {name args} { ::tester::skip $name "needs testfixture: malloc fault injection" }
proc do_error_test {name args} { ::tester::skip $name "needs testfixture: malloc fault injection" }
proc faultsim_save {args} { uplevel 1 db_save $args }
proc faultsim_save_and_close {args} { uplevel 1 db_save_and_close $args }
proc faultsim_restore {args} { uplevel 1 db_restore $args }
proc faultsim_restore_and_reopen {args} {
  uplevel 1 db_restore_and_reopen $args
  catch {db eval {SELECT * FROM sqlite_master}}
}
proc faultsim_delete_and_reopen {args} {
  uplevel 1 db_delete_and_reopen $args
}
proc faultsim_integrity_check {{db db}} {
  set ic [$db eval {PRAGMA integrity_check}]
  if {$ic ne "ok"} { error "Integrity check: $ic" }
}
proc test_set_config_pagecache {args} { ::tester::fixture_only "sqlite3_config pagecache" }
proc test_restore_config_pagecache {args} { ::tester::fixture_only "sqlite3_config pagecache" }

# ---------------------------------------------------------------------------------------------
# The end of a file

proc finish_test {} {
  foreach h {db db1 db2 db3} { catch {$h close} }
  ::tester::summary
}
proc finalize_testing {} { finish_test }
proc finish_test_precleanup {} {
  foreach h {db1 db2 db3} { catch {$h close} }
}

# ---------------------------------------------------------------------------------------------
# Sourcing.  The test files source SQLite's tester.tcl (this file stands in for it) and a few
# helper files; malloc_common.tcl is replaced by the stubs above, lock_common.tcl's child
# processes are this script in --child mode.

rename source ::tester::source_real
proc source {args} {
  set f [lindex $args end]
  switch -- [file tail $f] {
    tester.tcl { reset_db; return }
    malloc_common.tcl { return }
    thread_common.tcl { return }
  }
  set rc [catch {uplevel 1 [list ::tester::source_real {*}$args]} r opts]
  if {[file tail $f] eq "lock_common.tcl"} { ::tester::own_launch }
  return -options $opts $r
}

proc ::tester::own_launch {} {
  proc ::launch_testfixture {{prg ""}} {
    set chan [open "|[list [info nameofexecutable] $::tester::here/tester.tcl --child]" r+]
    fconfigure $chan -buffering line
    return $chan
  }
}

proc ::tester::child_loop {} {
  set script ""
  while {![eof stdin]} {
    flush stdout
    set l [gets stdin]
    if {$l eq "OVER"} {
      set rc [catch {uplevel #0 $script} result]
      puts [list $rc $result]
      puts OVER
      flush stdout
      set script ""
    } else {
      append script $l\n
    }
  }
}

# Split a script into its top-level commands, each with the line it starts on.
proc ::tester::commands {text} {
  set out {}
  set cmd ""
  set start 1
  set n 0
  foreach l [split $text \n] {
    incr n
    if {$cmd eq ""} { set start $n }
    append cmd $l\n
    if {[info complete $cmd]} {
      if {[string trim $cmd] ne ""} { lappend out $start $cmd }
      set cmd ""
    }
  }
  if {[string trim $cmd] ne ""} { lappend out $start $cmd }
  return $out
}

proc ::tester::run_file {path} {
  variable file $path
  variable line
  set fd [open $path r]
  fconfigure $fd -encoding utf-8
  set text [read $fd]
  close $fd
  set ::argv0 $path
  set ::argv {}
  set ::testdir [file dirname $path]
  variable checkpoint_before_copy [expr {$::env(SQLITE_TCL_ENGINE) eq "lode" &&
                                         [string match corrupt* [file tail $path]]}]
  info script $path
  foreach {l cmd} [commands $text] {
    set line $l
    set rc [catch {uplevel #0 $cmd} msg]
    if {$rc == 1} {
      toplevel_error $msg
    } elseif {$rc == 2} {
      break
    }
    if {$::tester::finished} break
  }
  summary
}

if {[lindex $argv 0] eq "--child"} {
  ::tester::child_loop
  exit 0
}
if {[llength $argv] != 1} {
  puts stderr "usage: tclsh tester.tcl FILE.test"
  exit 2
}
reset_db
::tester::run_file [file normalize [lindex $argv 0]]
exit 0
