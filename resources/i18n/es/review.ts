<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>CoMedicationView</name>
    <message>
        <source>Dose</source>
        <translation>Dosis</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Clase</translation>
    </message>
    <message>
        <source>Drug</source>
        <translation>Fármaco</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Cantidad</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>Vía</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Origen</translation>
    </message>
    <message>
        <source>May affect</source>
        <translation>Puede afectar a</translation>
    </message>
    <message>
        <source>eMAR</source>
        <translation>registro de administración (eMAR)</translation>
    </message>
    <message>
        <source>pharmacy order</source>
        <translation>prescripción de farmacia</translation>
    </message>
    <message>
        <source>entered by</source>
        <translation>registrado por</translation>
    </message>
    <message>
        <source>No review loaded.</source>
        <translation>No se ha cargado ninguna revisión.</translation>
    </message>
    <message>
        <source>No dose recorded: co-medication is shown around doses.</source>
        <translation>Ninguna dosis registrada: la medicación concomitante se muestra alrededor de las dosis.</translation>
    </message>
    <message>
        <source>{before} h before to {after} h after</source>
        <translation>de {before} h antes a {after} h después de</translation>
    </message>
    <message>
        <source>No co-medication recorded for this patient (none from the eMAR, the pharmacy or entered).</source>
        <translation>No hay medicación concomitante registrada para este paciente (ni del registro de administración [eMAR] ni de farmacia ni manual).</translation>
    </message>
    <message>
        <source>dose {n}</source>
        <translation>dosis {n}</translation>
    </message>
    <message>
        <source>each dose</source>
        <translation>cada dosis</translation>
    </message>
    <message numerus="yes">
        <source>%n administration(s) from {window} {which}; {total} recorded in all. Notes say what a drug may mask; they are not a judgement of the course.</source>
        <translation>
            <numerusform>%n administración {window} {which}; total registrado: {total}. Las notas dicen qué puede enmascarar un fármaco; no son un juicio sobre la evolución.</numerusform>
            <numerusform>%n administraciones {window} {which}; total registrado: {total}. Las notas dicen qué puede enmascarar un fármaco; no son un juicio sobre la evolución.</numerusform>
        </translation>
    </message>
    <message>
        <source>order</source>
        <translation>orden</translation>
    </message>
    <message>
        <source>{source} (not confirmed as given)</source>
        <translation>{source} (administración no confirmada)</translation>
    </message>
    <message>
        <source> to {end}</source>
        <translation> a {end}</translation>
    </message>
    <message>
        <source>not stated</source>
        <translation>no indicada</translation>
    </message>
    <message>
        <source>hours from the dose&apos;s start</source>
        <translation>horas desde el inicio de la dosis</translation>
    </message>
</context>
<context>
    <name>CohortView</name>
    <message>
        <source>Every patient with a dose in this database; changes are at +7 d from the first dose.</source>
        <translation>Todos los pacientes con una dosis en esta base de datos; los cambios son a +7 d de la primera dosis.</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Desenlace</translation>
    </message>
    <message>
        <source>n, median (IQR) or how many</source>
        <translation>n, mediana (RIC) o cuántos</translation>
    </message>
    <message>
        <source>Marker</source>
        <translation>Marcador</translation>
    </message>
    <message>
        <source>Patients</source>
        <translation>Pacientes</translation>
    </message>
    <message>
        <source>Outcomes: n, median (IQR)</source>
        <translation>Desenlaces: n, mediana (RIC)</translation>
    </message>
    <message>
        <source>Markers after the first dose: n, median (IQR)</source>
        <translation>Marcadores tras la primera dosis: n, mediana (RIC)</translation>
    </message>
</context>
<context>
    <name>CourseEventDialog</name>
    <message>
        <source>extubation</source>
        <translation>extubación</translation>
    </message>
    <message>
        <source>intubation</source>
        <translation>intubación</translation>
    </message>
    <message>
        <source>ICU discharge</source>
        <translation>alta de UCI</translation>
    </message>
    <message>
        <source>death</source>
        <translation>fallecimiento</translation>
    </message>
    <message>
        <source>alive at follow-up</source>
        <translation>vivo en el seguimiento</translation>
    </message>
    <message>
        <source>radiology note</source>
        <translation>informe de radiología</translation>
    </message>
    <message>
        <source>symptom onset</source>
        <translation>inicio de los síntomas</translation>
    </message>
    <message>
        <source>tracheostomy</source>
        <translation>traqueostomía</translation>
    </message>
    <message>
        <source>ECMO started</source>
        <translation>inicio de ECMO</translation>
    </message>
    <message>
        <source>ECMO ended</source>
        <translation>fin de ECMO</translation>
    </message>
    <message>
        <source>renal replacement started</source>
        <translation>inicio de terapia de reemplazo renal</translation>
    </message>
    <message>
        <source>renal replacement ended</source>
        <translation>fin de terapia de reemplazo renal</translation>
    </message>
    <message>
        <source>thrombosis or embolism</source>
        <translation>trombosis o embolia</translation>
    </message>
    <message>
        <source>secondary infection</source>
        <translation>infección secundaria</translation>
    </message>
    <message>
        <source>Confirm extubation</source>
        <translation>Confirmar la extubación</translation>
    </message>
    <message>
        <source>Radiology note</source>
        <translation>Informe de radiología</translation>
    </message>
    <message>
        <source>Record an outcome</source>
        <translation>Registrar un desenlace</translation>
    </message>
    <message>
        <source>Extubation is taken from the ventilator data only once a clinician confirms it (a gateway that stops looks the same).</source>
        <translation>La extubación se toma de los datos del respirador solo cuando un clínico la confirma (una pasarela que se detiene se ve igual).</translation>
    </message>
    <message>
        <source>Record a course event for the review.</source>
        <translation>Registrar un acontecimiento de la evolución para la revisión.</translation>
    </message>
    <message>
        <source>the note (radiology), or a comment</source>
        <translation>el informe (radiología) o un comentario</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Acontecimiento</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
</context>
<context>
    <name>OutcomesView</name>
    <message>
        <source>No review loaded.</source>
        <translation>No se ha cargado ninguna revisión.</translation>
    </message>
</context>
<context>
    <name>ReviewWindow</name>
    <message>
        <source>Reading the review</source>
        <translation>Lectura de la revisión</translation>
    </message>
    <message>
        <source>Reading the cohort</source>
        <translation>Lectura de la cohorte</translation>
    </message>
    <message>
        <source>The report</source>
        <translation>El informe</translation>
    </message>
    <message>
        <source>The tables (CSV)</source>
        <translation>Las tablas (CSV)</translation>
    </message>
    <message>
        <source>Recording the event</source>
        <translation>Registro del acontecimiento</translation>
    </message>
    <message>
        <source>Bedside — review</source>
        <translation>Bedside — revisión</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Paciente</translation>
    </message>
    <message>
        <source>Co-medication</source>
        <translation>Medicación concomitante</translation>
    </message>
    <message>
        <source>Outcomes</source>
        <translation>Desenlaces</translation>
    </message>
    <message>
        <source>Severity (SOFA, P/F, mechanics)</source>
        <translation>Gravedad (SOFA, P/F, mecánica)</translation>
    </message>
    <message>
        <source>Cohort (all treated patients)</source>
        <translation>Cohorte (todos los pacientes tratados)</translation>
    </message>
    <message>
        <source>Signatures</source>
        <translation>Firmas</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Leyendo…</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>Align on:</source>
        <translation>Alinear en:</translation>
    </message>
    <message>
        <source>Window:</source>
        <translation>Ventana:</translation>
    </message>
    <message>
        <source>to</source>
        <translation>a</translation>
    </message>
    <message>
        <source>Confirm extubation…</source>
        <translation>Confirmar la extubación…</translation>
    </message>
    <message>
        <source>Record outcome…</source>
        <translation>Registrar desenlace…</translation>
    </message>
    <message>
        <source>Radiology note…</source>
        <translation>Informe de radiología…</translation>
    </message>
    <message>
        <source>Confirm death reported by ADT…</source>
        <translation>Confirmar fallecimiento notificado por ADT…</translation>
    </message>
    <message>
        <source>The history is still arriving (catching up: {lag} behind): the doses, values and data coverage below are incomplete until it has caught up, when this review reads them again.</source>
        <translation>El historial sigue llegando (recuperando: {lag} de retraso): las dosis, los valores y la cobertura de datos de abajo están incompletos hasta que se haya recuperado; entonces esta revisión los vuelve a leer.</translation>
    </message>
    <message numerus="yes">
        <source>{file}, %n page(s)</source>
        <translation>
            <numerusform>{file}, %n página</numerusform>
            <numerusform>{file}, %n páginas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{file}, %n row(s)</source>
        <translation>
            <numerusform>{file}, %n fila</numerusform>
            <numerusform>{file}, %n filas</numerusform>
        </translation>
    </message>
    <message>
        <source>Marker</source>
        <translation>Marcador</translation>
    </message>
    <message>
        <source>{timepoint} (change)</source>
        <translation>{timepoint}
(cambio)</translation>
    </message>
    <message>
        <source>Export report (PDF)…</source>
        <translation>Exportar informe (PDF)…</translation>
    </message>
    <message>
        <source>Export tables (CSV)…</source>
        <translation>Exportar tablas (CSV)…</translation>
    </message>
    <message>
        <source>Adverse events…</source>
        <translation>Acontecimientos adversos…</translation>
    </message>
    <message>
        <source>Every adverse event with its versions and SAE report clock</source>
        <translation>Todos los acontecimientos adversos con sus versiones y el plazo de notificación de AAG</translation>
    </message>
    <message>
        <source>the follow-up of adverse event #{event} ({term}, grade {grade})</source>
        <translation>el seguimiento del acontecimiento adverso n.º {event} ({term}, grado {grade})</translation>
    </message>
    <message>
        <source>the report of adverse event #{event} to the sponsor, sent {at}</source>
        <translation>la notificación al promotor del acontecimiento adverso n.º {event}, enviada el {at}</translation>
    </message>
    <message>
        <source>{what} written: {result}</source>
        <translation>{what}: guardado ({result})</translation>
    </message>
    <message>
        <source>{what}: not done</source>
        <translation>{what}: no se ha hecho</translation>
    </message>
    <message>
        <source>Data as of {time}</source>
        <translation>Datos leídos a las {time}</translation>
    </message>
    <message>
        <source>Dose {n} ({start})</source>
        <translation>Dosis {n} ({start})</translation>
    </message>
    <message>
        <source>All doses overlaid</source>
        <translation>Todas las dosis superpuestas</translation>
    </message>
    <message>
        <source>Signatures ({n})</source>
        <translation>Firmas ({n})</translation>
    </message>
    <message>
        <source>Coverage, dose {n}</source>
        <translation>Cobertura, dosis {n}</translation>
    </message>
    <message>
        <source>Sign in as an intensivist or investigator to export the report.</source>
        <translation>Inicie sesión como intensivista o investigador para exportar el informe.</translation>
    </message>
    <message>
        <source>the course event {kind} at {at}</source>
        <translation>el evento de la evolución {kind} ({at})</translation>
    </message>
    <message>
        <source>the death reported by ADT at {at}, confirmed as the patient&apos;s death</source>
        <translation>el fallecimiento notificado por ADT el {at}, confirmado como fallecimiento del paciente</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>Exportar informe</translation>
    </message>
    <message>
        <source>Preparing the report…</source>
        <translation>Preparando el informe…</translation>
    </message>
    <message>
        <source>Exporting the report</source>
        <translation>Exportando el informe</translation>
    </message>
    <message>
        <source>Export tables</source>
        <translation>Exportar tablas</translation>
    </message>
    <message>
        <source>bedside-review-{patient}</source>
        <translation>bedside-revision-{patient}</translation>
    </message>
</context>
<context>
    <name>SeverityView</name>
    <message>
        <source>SOFA: Vincent et al., Intensive Care Med 1996 (each component the worst value of its 24 h; day 0 starts at dose 1). Driving pressure = plateau − PEEP, static compliance = tidal volume / driving pressure (Amato et al., N Engl J Med 2015). Supports review; not a diagnosis.</source>
        <translation>SOFA: Vincent et al., Intensive Care Med 1996 (cada componente, el peor valor de sus 24 h; el día 0 empieza con la dosis 1). Presión de distensión = meseta − PEEP; distensibilidad estática = volumen corriente / presión de distensión (Amato et al., N Engl J Med 2015). Apoya la revisión; no es un diagnóstico.</translation>
    </message>
    <message>
        <source>No review loaded.</source>
        <translation>No se ha cargado ninguna revisión.</translation>
    </message>
    <message>
        <source>Severity not loaded.</source>
        <translation>Gravedad no cargada.</translation>
    </message>
    <message>
        <source>A dash is a component without data that day, never a normal score.</source>
        <translation>Un guion es un componente sin datos ese día, nunca una puntuación normal.</translation>
    </message>
</context>
<context>
    <name>review_plots</name>
    <message>
        <source>no results in this window</source>
        <translation>sin resultados en esta ventana</translation>
    </message>
    <message>
        <source>last before it: {value}</source>
        <translation>último antes: {value}</translation>
    </message>
    <message>
        <source>hours from the dose start</source>
        <translation>horas desde el inicio de la dosis</translation>
    </message>
    <message>
        <source>Dose {n}</source>
        <translation>Dosis {n}</translation>
    </message>
    <message>
        <source>{value} at {time}</source>
        <translation>{value} en {time}</translation>
    </message>
    <message>
        <source>dose {n}</source>
        <translation>dosis {n}</translation>
    </message>
    <message>
        <source>AE G{grade}</source>
        <translation>AA G{grade}</translation>
    </message>
    <message>
        <source>{n} AEs, up to G{grade}</source>
        <translation>{n} AA, hasta G{grade}</translation>
    </message>
    <message>
        <source>CRP (mg/L)</source>
        <translation>PCR (mg/L)</translation>
    </message>
    <message>
        <source>P/F ratio (mmHg)</source>
        <translation>Cociente P/F (mmHg)</translation>
    </message>
    <message>
        <source>Lymphocytes (10⁹/L)</source>
        <translation>Linfocitos (10⁹/L)</translation>
    </message>
    <message>
        <source>{marker}, from the first dose</source>
        <translation>{marker}, desde la primera dosis</translation>
    </message>
    <message>
        <source>days from the first dose</source>
        <translation>días desde la primera dosis</translation>
    </message>
</context>
<context>
    <name>severity_plots</name>
    <message>
        <source>P/F ratio (mmHg)</source>
        <translation>Cociente P/F (mmHg)</translation>
    </message>
    <message>
        <source>Driving pressure (cmH₂O)</source>
        <translation>Presión de distensión (cmH₂O)</translation>
    </message>
    <message>
        <source>Static compliance (mL/cmH₂O)</source>
        <translation>Distensibilidad estática (mL/cmH₂O)</translation>
    </message>
    <message>
        <source>hours from dose 1</source>
        <translation>horas desde la dosis 1</translation>
    </message>
    <message>
        <source>dose {n}</source>
        <translation>dosis {n}</translation>
    </message>
</context>
</TS>
