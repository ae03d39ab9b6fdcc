//! The two storage backends behind one small interface: SQL text with numbered `?N`
//! parameters, dynamic values in and rows of dynamic values out, and transactions as a
//! guard. The corpus methods are written once against [`Backend`]; where the dialects
//! differ (full-text search, locks, the schema) they ask [`Backend::is_postgres`].

use std::fmt;

use super::pg::Pg;

/// A value passed to or read from either backend.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Value {
        Value::Int(v.into())
    }
}
impl From<u8> for Value {
    fn from(v: u8) -> Value {
        Value::Int(v.into())
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Value {
        Value::Int(v.into())
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Int(v.into())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Value {
        Value::Text(v.clone())
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_string())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}
impl<T: Clone + Into<Value>> From<&Option<T>> for Value {
    fn from(v: &Option<T>) -> Value {
        v.clone().map_or(Value::Null, Into::into)
    }
}

/// `args![a, b]`: a slice of [`Value`]s.
macro_rules! args {
    ($($x:expr),* $(,)?) => { &[$($crate::corpus::db::Value::from($x)),*][..] };
}
pub(crate) use args;

/// One result row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub(crate) Vec<Value>);

impl Row {
    /// Column `i` as `T`.
    pub fn get<T: FromValue>(&self, i: usize) -> Result<T, DbError> {
        let v = self.0.get(i).ok_or(DbError::Type(i, "no such column"))?;
        T::from_value(v).ok_or(DbError::Type(i, std::any::type_name::<T>()))
    }
}

/// Conversion out of a [`Value`].
pub trait FromValue: Sized {
    fn from_value(v: &Value) -> Option<Self>;
}

impl FromValue for i64 {
    fn from_value(v: &Value) -> Option<i64> {
        match v {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }
}
impl FromValue for u8 {
    fn from_value(v: &Value) -> Option<u8> {
        i64::from_value(v).and_then(|i| u8::try_from(i).ok())
    }
}
impl FromValue for u32 {
    fn from_value(v: &Value) -> Option<u32> {
        i64::from_value(v).and_then(|i| u32::try_from(i).ok())
    }
}
impl FromValue for u64 {
    fn from_value(v: &Value) -> Option<u64> {
        i64::from_value(v).and_then(|i| u64::try_from(i).ok())
    }
}
impl FromValue for bool {
    fn from_value(v: &Value) -> Option<bool> {
        i64::from_value(v).map(|i| i != 0)
    }
}
impl FromValue for f64 {
    fn from_value(v: &Value) -> Option<f64> {
        match v {
            Value::Real(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }
}
impl FromValue for String {
    fn from_value(v: &Value) -> Option<String> {
        match v {
            Value::Text(s) => Some(s.clone()),
            _ => None,
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> Option<Option<T>> {
        match v {
            Value::Null => Some(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// An error from either backend.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Postgres(#[from] postgres::Error),
    #[error("column {0} does not hold a {1}")]
    Type(usize, &'static str),
    #[error("the query returned no row")]
    NoRow,
    #[error("{0}")]
    Other(String),
}

/// The open database: one SQLite connection, or one PostgreSQL connection on its own thread.
pub enum Backend {
    Sqlite(rusqlite::Connection),
    Postgres(Pg),
}

impl fmt::Debug for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.is_postgres() {
            "Backend::Postgres"
        } else {
            "Backend::Sqlite"
        })
    }
}

impl Backend {
    /// Whether this is PostgreSQL (dialect and locking differ).
    pub fn is_postgres(&self) -> bool {
        matches!(self, Backend::Postgres(_))
    }

    /// Every row `sql` yields.
    pub fn query(&self, sql: &str, args: &[Value]) -> Result<Vec<Row>, DbError> {
        match self {
            Backend::Sqlite(conn) => sqlite_query(conn, sql, args),
            Backend::Postgres(pg) => pg.query(sql, args),
        }
    }

    /// The first row, if any.
    pub fn query_opt(&self, sql: &str, args: &[Value]) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, args)?.into_iter().next())
    }

    /// The first row; an error when there is none.
    pub fn query_one(&self, sql: &str, args: &[Value]) -> Result<Row, DbError> {
        self.query_opt(sql, args)?.ok_or(DbError::NoRow)
    }

    /// Every row `sql` yields, read by `f`.
    pub fn map<T>(
        &self,
        sql: &str,
        args: &[Value],
        f: impl Fn(&Row) -> Result<T, DbError>,
    ) -> Result<Vec<T>, DbError> {
        self.query(sql, args)?.iter().map(f).collect()
    }

    /// The first row, if any, read by `f`.
    pub fn map_opt<T>(
        &self,
        sql: &str,
        args: &[Value],
        f: impl Fn(&Row) -> Result<T, DbError>,
    ) -> Result<Option<T>, DbError> {
        self.query_opt(sql, args)?.as_ref().map(f).transpose()
    }

    /// Runs a statement that returns no rows; how many rows it changed.
    pub fn execute(&self, sql: &str, args: &[Value]) -> Result<u64, DbError> {
        match self {
            Backend::Sqlite(conn) => {
                let mut st = conn.prepare_cached(sql)?;
                Ok(st.execute(rusqlite::params_from_iter(args.iter()))? as u64)
            }
            Backend::Postgres(pg) => pg.execute(sql, args),
        }
    }

    /// Runs an `INSERT` (written without `RETURNING`) and gives the new row's `id`.
    ///
    /// On SQLite this is the connection's last rowid, not `RETURNING id`: SQLite runs
    /// `RETURNING` as a trigger, a statement with a trigger opens a statement savepoint,
    /// and at every savepoint FTS5 writes its pending index to disk, so each report would
    /// leave a tiny segment to merge (half the cost of storing a report, measured).
    pub fn insert_id(&self, sql: &str, args: &[Value]) -> Result<i64, DbError> {
        match self {
            Backend::Sqlite(conn) => {
                let mut st = conn.prepare_cached(sql)?;
                st.execute(rusqlite::params_from_iter(args.iter()))?;
                Ok(conn.last_insert_rowid())
            }
            Backend::Postgres(pg) => pg
                .query(&format!("{sql} RETURNING id"), args)?
                .first()
                .ok_or(DbError::NoRow)?
                .get(0),
        }
    }

    /// Runs statements without parameters.
    pub fn batch(&self, sql: &str) -> Result<(), DbError> {
        match self {
            Backend::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Backend::Postgres(pg) => pg.batch(sql),
        }
    }

    /// Starts a transaction; SQLite takes the write lock at once (`BEGIN IMMEDIATE`, where
    /// the busy timeout applies). Dropped without [`Tx::commit`], it rolls back.
    pub fn begin(&self) -> Result<Tx<'_>, DbError> {
        self.batch(match self {
            Backend::Sqlite(_) => "BEGIN IMMEDIATE",
            Backend::Postgres(_) => "BEGIN",
        })?;
        Ok(Tx {
            db: self,
            open: true,
        })
    }
}

/// An open transaction; derefs to the backend it runs on.
pub struct Tx<'a> {
    db: &'a Backend,
    open: bool,
}

impl Tx<'_> {
    pub fn commit(mut self) -> Result<(), DbError> {
        self.open = false;
        self.db.batch("COMMIT")
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Backend;
    fn deref(&self) -> &Backend {
        self.db
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            if let Err(e) = self.db.batch("ROLLBACK") {
                tracing::warn!(error = %e, "rolling back a corpus transaction failed");
            }
        }
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
        }))
    }
}

fn sqlite_query(
    conn: &rusqlite::Connection,
    sql: &str,
    args: &[Value],
) -> Result<Vec<Row>, DbError> {
    use rusqlite::types::ValueRef;
    let mut st = conn.prepare_cached(sql)?;
    let n = st.column_count();
    let mut rows = st.query(rusqlite::params_from_iter(args.iter()))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut vals = Vec::with_capacity(n);
        for i in 0..n {
            vals.push(match r.get_ref(i)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(v) => Value::Int(v),
                ValueRef::Real(v) => Value::Real(v),
                ValueRef::Text(b) | ValueRef::Blob(b) => {
                    Value::Text(String::from_utf8_lossy(b).into_owned())
                }
            });
        }
        out.push(Row(vals));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_through_sqlite() {
        let db = Backend::Sqlite(rusqlite::Connection::open_in_memory().unwrap());
        let row = db
            .query_one(
                "SELECT ?1, ?2, ?3, ?4, ?5",
                args![7i64, "x", None::<String>, true, 1.5f64.to_string()],
            )
            .unwrap();
        assert_eq!(row.get::<i64>(0).unwrap(), 7);
        assert_eq!(row.get::<String>(1).unwrap(), "x");
        assert_eq!(row.get::<Option<String>>(2).unwrap(), None);
        assert!(row.get::<bool>(3).unwrap());
        assert!(row.get::<i64>(1).is_err(), "text is not an integer");
        let tx = db.begin().unwrap();
        tx.execute("CREATE TABLE t (x INTEGER)", &[]).unwrap();
        drop(tx);
        assert!(db.query("SELECT * FROM t", &[]).is_err(), "rolled back");
    }
}
