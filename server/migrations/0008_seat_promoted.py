from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('snug', '0007_hidden_totals')]

    initial = False

    operations = [
        ops.AddField(
            model_name='SeatClaim',
            name='promoted',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
