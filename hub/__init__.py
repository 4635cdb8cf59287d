"""府检联动 Hub: the case-coordination hub of a city government and its procuratorate."""
