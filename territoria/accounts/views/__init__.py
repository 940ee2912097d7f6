"""Account pages, split by flow: sign-in and passwords (`auth`), "Mon espace" and
"Mon compte" (`space`), a collectivité's members and journal (`members`), invitation
links (`invitations`)."""
