//! What an import is told besides the file: settings from the user's config that change how
//! columns are read (carried by `ImportSettings`).

/// The HubSpot deals export's columns for win/loss, when a portal names its properties its own
/// way (config `[import.hubspot-deals]`): each is a column header, matched ignoring case, tried
/// before the common names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DealColumns {
    pub competitor: Option<String>,
    pub reason: Option<String>,
    pub segment: Option<String>,
}
