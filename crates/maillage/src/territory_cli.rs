//! `maillage territory …`: create a CPTS with its perimeter, change it, show it.

use clap::{Args, Subcommand};
use maillage_services::App;
use maillage_services::territory::{self, Perimeter, Selection};

#[derive(Subcommand)]
pub enum TerritoryCommand {
    /// Create a CPTS with its perimeter (communes and/or whole EPCI).
    Create {
        slug: String,
        /// The CPTS's name, as in its statutes.
        #[arg(long)]
        name: String,
        #[command(flatten)]
        selection: SelectionArgs,
    },
    /// Replace the perimeter of an existing CPTS.
    Set {
        slug: String,
        #[command(flatten)]
        selection: SelectionArgs,
    },
    /// Show a CPTS's communes and total population.
    Show {
        slug: String,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct SelectionArgs {
    /// INSEE codes of communes, comma-separated (e.g. 13015,13019).
    #[arg(long, value_delimiter = ',')]
    communes: Vec<String>,
    /// SIREN numbers of EPCI whose communes are all taken, comma-separated.
    #[arg(long, value_delimiter = ',')]
    epci: Vec<String>,
}

impl SelectionArgs {
    fn selection(self) -> Selection {
        Selection {
            communes: self.communes,
            epcis: self.epci,
        }
    }
}

fn print_table(perimeter: &Perimeter) {
    println!("{} ({})", perimeter.name, perimeter.slug);
    for c in &perimeter.communes {
        let population = c.population.map(|p| p.to_string()).unwrap_or_default();
        let flag = if c.also_in.is_empty() {
            String::new()
        } else {
            format!("  ⚠ aussi dans : {}", c.also_in.join(", "))
        };
        println!("  {}  {:<40} {:>9}{flag}", c.insee, c.name, population);
    }
    println!(
        "{} communes, population totale : {}",
        perimeter.communes.len(),
        perimeter.population
    );
}

pub async fn run(app: &App, command: TerritoryCommand) -> Result<(), String> {
    let explain = crate::cli::explain;
    match command {
        TerritoryCommand::Create {
            slug,
            name,
            selection,
        } => {
            let perimeter = territory::create(app, None, &slug, &name, &selection.selection())
                .await
                .map_err(explain)?;
            print_table(&perimeter);
        }
        TerritoryCommand::Set { slug, selection } => {
            let perimeter = territory::set(app, None, &slug, &selection.selection())
                .await
                .map_err(explain)?;
            print_table(&perimeter);
        }
        TerritoryCommand::Show { slug, json } => {
            let perimeter = territory::show(app, None, &slug).await.map_err(explain)?;
            if json {
                let text = serde_json::to_string_pretty(&perimeter).map_err(|e| e.to_string())?;
                println!("{text}");
            } else {
                print_table(&perimeter);
            }
        }
    }
    Ok(())
}
