//! Prints the results table of the last `cargo bench` again, from criterion's saved
//! estimates: `cargo run --release --bin report`.

fn main() {
    let dir = regelverk_peers::report::criterion_dir();
    println!("{}", regelverk_peers::report::table(&dir));
}
