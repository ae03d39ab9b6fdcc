//! The PostgreSQL connection, owned by a thread of its own.
//!
//! The synchronous `postgres` client drives its connection with a private tokio runtime
//! (`block_on`), which panics when called on a thread that already runs tokio, and the
//! corpus is called from the announcer's and the bot's async tasks. So the client lives on
//! a plain thread and every call is sent to it and waited for: the caller blocks exactly
//! as it does on a SQLite call, from any thread, inside a runtime or not.

use std::collections::HashMap;
use std::error::Error;
use std::sync::mpsc;

use bytes::BytesMut;
use postgres::types::{IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};

use super::db::{DbError, Row, Value};

type Job = Box<dyn FnOnce(&mut Worker) + Send>;

/// A handle on the connection thread.
pub struct Pg {
    jobs: mpsc::Sender<Job>,
}

struct Worker {
    client: Client,
    statements: HashMap<String, Statement>,
}

impl Pg {
    /// Connects to `url` (`postgres://user:password@host:port/database`).
    pub fn connect(url: &str) -> Result<Pg, DbError> {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (ready, started) = mpsc::channel();
        let url = url.to_string();
        std::thread::Builder::new()
            .name("touchline-postgres".into())
            .spawn(move || {
                let client = match Client::connect(&url, NoTls) {
                    Ok(c) => {
                        let _ = ready.send(Ok(()));
                        c
                    }
                    Err(e) => {
                        let _ = ready.send(Err(e));
                        return;
                    }
                };
                let mut worker = Worker {
                    client,
                    statements: HashMap::new(),
                };
                // Ends when the handle is dropped; the connection closes with the client.
                for job in inbox {
                    job(&mut worker);
                }
            })
            .map_err(|e| DbError::Other(format!("cannot start the PostgreSQL thread: {e}")))?;
        match started.recv() {
            Ok(Ok(())) => Ok(Pg { jobs }),
            Ok(Err(e)) => Err(e.into()),
            Err(_) => Err(DbError::Other("the PostgreSQL thread stopped".into())),
        }
    }

    /// Runs `f` on the connection thread and waits for its answer.
    fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Worker) -> Result<T, DbError> + Send + 'static,
    ) -> Result<T, DbError> {
        let (reply, answer) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |w| {
            let _ = reply.send(f(w));
        });
        self.jobs
            .send(job)
            .map_err(|_| DbError::Other("the PostgreSQL connection is gone".into()))?;
        answer
            .recv()
            .map_err(|_| DbError::Other("the PostgreSQL connection is gone".into()))?
    }

    pub fn query(&self, sql: &str, args: &[Value]) -> Result<Vec<Row>, DbError> {
        let (sql, args) = (sql.to_string(), args.to_vec());
        self.call(move |w| {
            let st = w.statement(&sql)?;
            let params: Vec<&(dyn ToSql + Sync)> =
                args.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
            let rows = w.client.query(&st, &params)?;
            rows.iter().map(read_row).collect()
        })
    }

    pub fn execute(&self, sql: &str, args: &[Value]) -> Result<u64, DbError> {
        let (sql, args) = (sql.to_string(), args.to_vec());
        self.call(move |w| {
            let st = w.statement(&sql)?;
            let params: Vec<&(dyn ToSql + Sync)> =
                args.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
            Ok(w.client.execute(&st, &params)?)
        })
    }

    pub fn batch(&self, sql: &str) -> Result<(), DbError> {
        let sql = sql.to_string();
        self.call(move |w| Ok(w.client.batch_execute(&sql)?))
    }
}

impl Worker {
    /// The prepared statement for `sql` (written with `?N` or `?` parameters).
    fn statement(&mut self, sql: &str) -> Result<Statement, DbError> {
        if let Some(st) = self.statements.get(sql) {
            return Ok(st.clone());
        }
        let st = self.client.prepare(&dollar_params(sql))?;
        self.statements.insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

/// `?N` becomes `$N` and a bare `?` the next number, outside quoted text.
pub(crate) fn dollar_params(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut next = 1;
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                out.push(c);
            }
            (Some(_), c) => out.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                out.push(c);
            }
            (None, '?') => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                if digits.is_empty() {
                    digits = next.to_string();
                    next += 1;
                }
                out.push('$');
                out.push_str(&digits);
            }
            (None, c) => out.push(c),
        }
    }
    out
}

fn read_row(row: &postgres::Row) -> Result<Row, DbError> {
    let mut vals = Vec::with_capacity(row.len());
    for (i, col) in row.columns().iter().enumerate() {
        let t = col.type_();
        let v = if *t == Type::INT8 {
            row.try_get::<_, Option<i64>>(i)?.map(Value::Int)
        } else if *t == Type::INT4 {
            row.try_get::<_, Option<i32>>(i)?
                .map(|v| Value::Int(v.into()))
        } else if *t == Type::INT2 {
            row.try_get::<_, Option<i16>>(i)?
                .map(|v| Value::Int(v.into()))
        } else if *t == Type::BOOL {
            row.try_get::<_, Option<bool>>(i)?
                .map(|v| Value::Int(v.into()))
        } else if *t == Type::FLOAT8 {
            row.try_get::<_, Option<f64>>(i)?.map(Value::Real)
        } else if *t == Type::FLOAT4 {
            row.try_get::<_, Option<f32>>(i)?
                .map(|v| Value::Real(v.into()))
        } else if *t == Type::VOID {
            None
        } else {
            row.try_get::<_, Option<String>>(i)?.map(Value::Text)
        };
        vals.push(v.unwrap_or(Value::Null));
    }
    Ok(Row(vals))
}

type BoxError = Box<dyn Error + Sync + Send>;

impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => {
                if *ty == Type::INT8 {
                    i.to_sql(ty, out)
                } else if *ty == Type::INT4 {
                    i32::try_from(*i)?.to_sql(ty, out)
                } else if *ty == Type::INT2 {
                    i16::try_from(*i)?.to_sql(ty, out)
                } else if *ty == Type::BOOL {
                    (*i != 0).to_sql(ty, out)
                } else if *ty == Type::FLOAT8 {
                    (*i as f64).to_sql(ty, out)
                } else {
                    i.to_string().as_str().to_sql(ty, out)
                }
            }
            Value::Real(f) => {
                if *ty == Type::FLOAT4 {
                    (*f as f32).to_sql(ty, out)
                } else if *ty == Type::FLOAT8 {
                    f.to_sql(ty, out)
                } else {
                    f.to_string().as_str().to_sql(ty, out)
                }
            }
            Value::Text(s) => s.as_str().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

#[cfg(test)]
mod tests {
    use super::dollar_params;

    #[test]
    fn parameters_are_numbered_outside_quotes() {
        assert_eq!(
            dollar_params("SELECT ?1, ? , '?' , \"a?\" , ?12"),
            "SELECT $1, $1 , '?' , \"a?\" , $12"
        );
        assert_eq!(dollar_params("a = ? AND b = ?"), "a = $1 AND b = $2");
    }
}
