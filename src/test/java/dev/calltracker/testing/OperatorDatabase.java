package dev.calltracker.testing;

/**
 * A database of its own for the operator's endpoints: a reconciliation through the admin endpoint claims every
 * stuck call of the database, which must not be the rows other classes left behind. The admin and diagnostics
 * tests share it (and so one start of the service).
 */
public class OperatorDatabase extends DatabaseOfItsOwn {
}
